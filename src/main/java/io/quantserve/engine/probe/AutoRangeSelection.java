package io.quantserve.engine.probe;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.LayerQuantizationException;
import io.quantserve.engine.ScratchFolder;
import io.quantserve.engine.calibration.ClipRange;
import io.quantserve.engine.calibration.TensorStatistics;
import io.quantserve.engine.config.ActivationAlgorithm;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.GraphEditor;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.onnx.proto.Onnx.TypeProto;
import io.quantserve.engine.onnx.proto.Onnx.ValueInfoProto;
import io.quantserve.engine.quant.ActivationFactors;
import io.quantserve.engine.quant.ActivationObservers;
import io.quantserve.engine.quant.ActivationParams;
import io.quantserve.engine.quant.LayerFactors;
import io.quantserve.engine.quant.LayerPlan;
import io.quantserve.engine.quant.LayerQuantization;
import io.quantserve.engine.quant.LayerQuantizations;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.engine.weights.BiasOverflowPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Resolves {@code act_algo: auto}: for each such layer, every candidate of {@link ActivationAlgorithm.Auto#CANDIDATES}
 * reads a range from the layer input's calibration statistics, and the layer keeps the candidate whose quantized layer,
 * computed alone on the first calibration batches (at least {@link #MEASURED_SAMPLES} samples; a {@link LayerTwins} twin reading the float input), has the smallest sum of
 * squared output differences to the float layer. The error is the layer's own, free of the layers before it, and
 * weighs clipping and rounding by what they do to the output rather than to the input.
 *
 * <p>One run of one model per candidate and batch: the float model plus a twin of each measured layer, reduced in the
 * graph to one scalar per twin ({@code ReduceSumSquare(twin − float)}), so memory does not grow with layer outputs.
 * A candidate that gives a layer the same factors as an earlier one is not measured again; ties keep the earlier
 * candidate, so AMCT's IFMR wins unless another method measurably does better. Layers inside {@code If}/{@code
 * Loop}/{@code Scan} bodies keep {@link ActivationAlgorithm.Auto#PROVISIONAL}, as do layers whose input held no value.
 */
public final class AutoRangeSelection {
    private static final String TWIN_SUFFIX = "_auto";

    /**
     * Samples the measurement wants at least: one image is too few to rank ranges on (a detector's calibration batch
     * is often a single image), and more only costs replay time.
     */
    public static final int MEASURED_SAMPLES = 16;

    private AutoRangeSelection() {}

    /**
     * How many calibration batches of {@code batchSize} samples {@link #select} should get: enough for {@link
     * #MEASURED_SAMPLES}, or 0 when no planned layer is {@code auto}.
     */
    public static int batchesToMeasure(
            List<LayerPlan> plans, Function<String, ActivationAlgorithm> algorithmOf, int batchSize) {
        boolean any =
                plans.stream().anyMatch(p -> algorithmOf.apply(p.layer().name()) instanceof ActivationAlgorithm.Auto);
        return any ? (MEASURED_SAMPLES + batchSize - 1) / batchSize : 0;
    }

    /**
     * One layer's measurement.
     *
     * @param chosen the candidate kept
     * @param errors the sum of squared output errors of each measured candidate (candidates giving the same factors
     *     as an earlier one are absent), in candidate order
     * @param outputEnergy the sum of squares of the float layer output over the same batches
     */
    public record Choice(
            String layer, ActivationAlgorithm chosen, Map<ActivationAlgorithm, Double> errors, double outputEnergy) {
        public Choice {
            errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
        }

        /** The output SQNR of {@code candidate} alone, in dB; infinite for an exact output. */
        public double sqnrDb(ActivationAlgorithm candidate) {
            return 10 * Math.log10(outputEnergy / errors.get(candidate));
        }
    }

    /**
     * @param factors the factors of every planned layer, those of {@code auto} layers replaced by the chosen range's
     * @param choices the measured {@code auto} layers, in plan order
     * @param notes what the run report should say (layers kept provisional, a summary of the choices)
     */
    public record Result(Map<String, LayerFactors> factors, List<Choice> choices, List<String> notes) {
        public Result {
            factors = Collections.unmodifiableMap(new LinkedHashMap<>(factors));
            choices = List.copyOf(choices);
            notes = List.copyOf(notes);
        }
    }

    /**
     * Chooses the range of every planned layer whose algorithm is {@code auto}; other layers' factors pass through.
     *
     * @param fused the float model the factors belong to (BatchNorm folded, DMQ-balanced where configured)
     * @param factors the factors of every planned layer, {@code auto} layers with their provisional range
     * @param statistics the calibration statistics, holding the input of every {@code auto} layer
     * @param batches the batches to measure on (not empty when any layer is {@code auto})
     * @param scratch a folder for the probe models, deleted before returning
     */
    public static Result select(
            OnnxModel fused,
            List<LayerPlan> plans,
            Function<String, ActivationAlgorithm> algorithmOf,
            Map<String, LayerFactors> factors,
            List<TensorStatistics> statistics,
            BiasOverflowPolicy policy,
            List<Map<String, Tensor>> batches,
            Path scratch) {
        List<LayerPlan> auto = plans.stream()
                .filter(p -> algorithmOf.apply(p.layer().name()) instanceof ActivationAlgorithm.Auto)
                .toList();
        Map<String, LayerFactors> out = new LinkedHashMap<>(factors);
        if (auto.isEmpty()) return new Result(out, List.of(), List.of());
        if (batches.isEmpty()) {
            throw new InvalidConfigException("act_algo 'auto' (layers " + names(auto)
                    + ") measures each candidate on calibration batches; give calibration data (--data)");
        }
        Map<String, TensorStatistics> byTensor = new LinkedHashMap<>();
        statistics.forEach(t -> byTensor.put(t.tensor(), t));
        List<String> notes = new ArrayList<>();
        List<LayerPlan> measured = new ArrayList<>();
        for (LayerPlan p : auto) {
            TensorStatistics t = byTensor.get(p.layer().dataInput());
            if (!p.layer().scope().isEmpty()) {
                notes.add("layer '" + p.layer().name() + "' (act_algo auto) lies inside a subgraph: kept "
                        + ActivationAlgorithm.Auto.PROVISIONAL.algo().jsonName() + " without measuring");
            } else if (t == null || t.histogram().count() == 0) {
                notes.add("layer '" + p.layer().name() + "' (act_algo auto) saw no calibration value: kept "
                        + ActivationAlgorithm.Auto.PROVISIONAL.algo().jsonName());
            } else {
                measured.add(p);
            }
        }
        Map<String, Measurement> byLayer = new LinkedHashMap<>();
        measured.forEach(p -> byLayer.put(p.layer().name(), new Measurement()));
        try (ScratchFolder dir = ScratchFolder.under(scratch, "auto-range")) {
            int index = 0;
            for (ActivationAlgorithm candidate : ActivationAlgorithm.Auto.CANDIDATES) {
                List<LayerQuantization> twins = new ArrayList<>();
                for (LayerPlan p : measured) {
                    candidateLayer(
                                    fused,
                                    p,
                                    candidate,
                                    byTensor,
                                    factors,
                                    policy,
                                    byLayer.get(p.layer().name()))
                            .ifPresent(twins::add);
                }
                if (!twins.isEmpty()) {
                    measure(fused, twins, candidate, batches, dir.resolve("candidate_" + index + ".onnx"), byLayer);
                }
                index++;
            }
        }
        List<Choice> choices = new ArrayList<>();
        for (LayerPlan p : measured) {
            Measurement m = byLayer.get(p.layer().name());
            Choice c = m.choice(p.layer().name());
            choices.add(c);
            out.put(p.layer().name(), m.factorsOf(c.chosen()));
        }
        notes.add(summary(choices));
        return new Result(out, choices, notes);
    }

    /** What one layer's candidates gave: their factors (distinct ones only) and measured errors. */
    private static final class Measurement {
        final Map<ActivationAlgorithm, LayerFactors> factors = new LinkedHashMap<>();
        final Map<ActivationAlgorithm, Double> errors = new LinkedHashMap<>();
        double outputEnergy = Double.NaN;

        LayerFactors factorsOf(ActivationAlgorithm a) {
            return factors.get(a);
        }

        Choice choice(String layer) {
            ActivationAlgorithm best = null;
            for (Map.Entry<ActivationAlgorithm, Double> e : errors.entrySet()) {
                if (best == null || e.getValue() < errors.get(best)) best = e.getKey();
            }
            if (best == null) {
                throw new LayerQuantizationException(
                        "auto-range",
                        layer,
                        "act_algo auto: no candidate range gives a valid quantization of this layer; set another"
                                + " act_algo or add the layer to skip_layers");
            }
            return new Choice(layer, best, errors, outputEnergy);
        }
    }

    /**
     * The twin of {@code p} quantized with {@code candidate}'s range, or empty when that range is invalid for the layer
     * or gives the same factors as an earlier candidate.
     */
    private static Optional<LayerQuantization> candidateLayer(
            OnnxModel fused,
            LayerPlan p,
            ActivationAlgorithm candidate,
            Map<String, TensorStatistics> byTensor,
            Map<String, LayerFactors> factors,
            BiasOverflowPolicy policy,
            Measurement m) {
        String name = p.layer().name();
        ClipRange range = ActivationObservers.create(candidate, p.asymmetric())
                .range(byTensor.get(p.layer().dataInput()).histogram());
        LayerFactors base = factors.get(name);
        try {
            ActivationParams a = ActivationFactors.compute(name, range, p.asymmetric());
            if (m.factors.values().stream().anyMatch(f -> f.activation().equals(a))) return Optional.empty();
            LayerFactors f = new LayerFactors(a, base.weightScales(), base.balanceFactors());
            Optional<LayerQuantization> lq = LayerQuantizations.build(fused, p.layer(), f, policy);
            if (lq.isPresent()) m.factors.put(candidate, f);
            return lq;
        } catch (LayerQuantizationException invalid) {
            return Optional.empty(); // a degenerate range or an INT32 bias overflow: not a candidate for this layer
        }
    }

    private static void measure(
            OnnxModel fused,
            List<LayerQuantization> twins,
            ActivationAlgorithm candidate,
            List<Map<String, Tensor>> batches,
            Path file,
            Map<String, Measurement> byLayer) {
        LayerTwins.Probe probe = LayerTwins.build(fused, twins, TWIN_SUFFIX);
        GraphEditor ed = new GraphEditor(probe.model().proto().getGraph());
        Map<String, String> errorOf = new LinkedHashMap<>();
        Map<String, String> energyOf = new LinkedHashMap<>();
        List<ValueInfoProto> outputs = new ArrayList<>();
        for (LayerQuantization lq : twins) {
            String layer = lq.layer().name();
            String floatOut = floatOutput(ed, layer);
            String diff = ed.uniqueName(layer + TWIN_SUFFIX + "_diff");
            ed.addNode(
                    "Sub",
                    layer + TWIN_SUFFIX + "_diff",
                    List.of(probe.twinOutputs().get(layer), floatOut),
                    List.of(diff));
            String error = ed.uniqueName(layer + TWIN_SUFFIX + "_error");
            ed.addNode(
                    "ReduceSumSquare",
                    layer + TWIN_SUFFIX + "_error",
                    List.of(diff),
                    List.of(error),
                    Attributes.of("keepdims", 0L));
            errorOf.put(layer, error);
            outputs.add(scalar(error));
            if (Double.isNaN(byLayer.get(layer).outputEnergy)) {
                String energy = ed.uniqueName(layer + "_energy");
                ed.addNode(
                        "ReduceSumSquare",
                        layer + "_energy",
                        List.of(floatOut),
                        List.of(energy),
                        Attributes.of("keepdims", 0L));
                energyOf.put(layer, energy);
                outputs.add(scalar(energy));
            }
        }
        GraphProto graph = ed.build().toBuilder().addAllOutput(outputs).build();
        ModelIo.save(
                probe.model()
                        .withProto(probe.model().proto().toBuilder()
                                .setGraph(graph)
                                .build()),
                file);
        List<String> wanted = outputs.stream().map(ValueInfoProto::getName).toList();
        Map<String, Double> errors = new LinkedHashMap<>();
        Map<String, Double> energies = new LinkedHashMap<>();
        try (InferenceSession session = InferenceSession.open(file, SessionSettings.defaults())) {
            for (Map<String, Tensor> batch : batches) {
                Map<String, Tensor> r = session.run(batch, wanted);
                errorOf.forEach(
                        (layer, t) -> errors.merge(layer, (double) r.get(t).toFloats()[0], Double::sum));
                energyOf.forEach(
                        (layer, t) -> energies.merge(layer, (double) r.get(t).toFloats()[0], Double::sum));
            }
        }
        errors.forEach((layer, e) -> byLayer.get(layer).errors.put(candidate, e));
        energies.forEach((layer, e) -> byLayer.get(layer).outputEnergy = e);
    }

    /** The first output of the original layer node, which the twin's output is compared with. */
    private static String floatOutput(GraphEditor ed, String layer) {
        NodeProto node = ed.node(layer)
                .orElseThrow(() -> new IllegalArgumentException("no node '" + layer + "' in the main graph"));
        return node.getOutput(0);
    }

    private static ValueInfoProto scalar(String name) {
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE)))
                .build();
    }

    /**
     * One line: how many layers each candidate won, and the layers where the choice beat the provisional range by the
     * most (output SQNR alone, dB).
     */
    static String summary(List<Choice> choices) {
        Map<String, Integer> wins = new LinkedHashMap<>();
        for (ActivationAlgorithm c : ActivationAlgorithm.Auto.CANDIDATES) wins.put(label(c), 0);
        choices.forEach(c -> wins.merge(label(c.chosen()), 1, Integer::sum));
        StringBuilder b = new StringBuilder("act_algo auto chose per layer by output error alone: ");
        List<String> parts = new ArrayList<>();
        wins.forEach((k, v) -> {
            if (v > 0) parts.add(k + " " + v);
        });
        b.append(String.join(", ", parts));
        List<Choice> gains = choices.stream()
                .filter(c -> c.errors().containsKey(ActivationAlgorithm.Auto.PROVISIONAL)
                        && !c.chosen().equals(ActivationAlgorithm.Auto.PROVISIONAL))
                .sorted((x, y) -> Double.compare(gain(y), gain(x)))
                .limit(5)
                .toList();
        if (!gains.isEmpty()) {
            b.append("; largest gains over ")
                    .append(label(ActivationAlgorithm.Auto.PROVISIONAL))
                    .append(": ");
            b.append(String.join(
                    ", ",
                    gains.stream()
                            .map(c -> String.format(
                                    Locale.ROOT,
                                    "%s %s %.1f dB (vs %.1f)",
                                    c.layer(),
                                    label(c.chosen()),
                                    c.sqnrDb(c.chosen()),
                                    c.sqnrDb(ActivationAlgorithm.Auto.PROVISIONAL)))
                            .toList()));
        }
        return b.toString();
    }

    private static double gain(Choice c) {
        return c.sqnrDb(c.chosen()) - c.sqnrDb(ActivationAlgorithm.Auto.PROVISIONAL);
    }

    /** A candidate's short name: the {@code act_algo} value, with the percentile for the two percentile ones. */
    public static String label(ActivationAlgorithm a) {
        return a instanceof ActivationAlgorithm.Percentile p
                ? "percentile " + p.percentile()
                : a.algo().jsonName();
    }

    private static String names(List<LayerPlan> plans) {
        return plans.stream().map(p -> p.layer().name()).limit(5).toList()
                + (plans.size() > 5 ? " and " + (plans.size() - 5) + " more" : "");
    }
}
