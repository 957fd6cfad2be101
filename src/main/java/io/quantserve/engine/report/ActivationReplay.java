package io.quantserve.engine.report;

import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.ScratchFolder;
import io.quantserve.engine.calibration.SampleChunks;
import io.quantserve.engine.calibration.SubgraphTaps;
import io.quantserve.engine.layers.QuantizableLayer;
import io.quantserve.engine.onnx.GraphScopes;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.probe.LayerTwins;
import io.quantserve.engine.quant.LayerQuantization;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.ReusedOutputs;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.FloatArrays;
import io.quantserve.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Measures the activation side of every layer on the retained calibration batches, with one run of two models per
 * batch: the float model with each layer's twin quantized alone ({@link LayerTwins}), exposing layer inputs,
 * float outputs and isolated outputs; and the fake-quant model, exposing layer outputs (the dequantizing
 * {@code Mul} writes the layer's original output name there). Tensors inside {@code If}/{@code Loop}/{@code Scan}
 * bodies are exposed with {@link SubgraphTaps}, so subgraph layers are measured too. Each batch's values stream
 * into per-layer accumulators and are dropped: memory is the exposed tensors of one run of at most
 * {@value #SAMPLES_PER_RUN} samples (a batch is split along its sample axis where that is safe, {@link
 * SampleChunks}) plus O(bins) per layer.
 */
final class ActivationReplay {
    /**
     * The float model's session is optimised: the exposed tensors are graph outputs, which ONNX Runtime computes as
     * written. The fake-quant model's is not, so that its outputs are exactly what the deploy parity check compares
     * with ({@link ReplayListener}); optimisation could fold a dequantization scale into a layer's weights. Every run
     * is followed by the Java comparisons of its outputs, so ONNX Runtime's threads must not spin between runs.
     */
    private static final SessionSettings FLOAT_SETTINGS = SessionSettings.interleaved();

    private static final SessionSettings FAKE_QUANT_SETTINGS = new SessionSettings(0, false, true, false);

    /** Samples per run when a batch can be split ({@link SampleChunks}): bounds the exposed activations held. */
    static final int SAMPLES_PER_RUN = 1;

    private ActivationReplay() {}

    /** One layer's accumulators after the replay. */
    record Measured(InputStatistics input, OutputComparison output) {}

    /**
     * Where one layer's values come from in a run.
     *
     * @param input the layer's data input: a model input when {@code fed}, else the probe model's tap of it
     * @param floatOutput the probe model's tap of the float layer output
     * @param fakeOutput the fake-quant model's tap of the same output
     * @param aloneOutput the probe model's tap of the layer quantized alone
     */
    private record Taps(
            String layer,
            String input,
            boolean fed,
            String floatOutput,
            String fakeOutput,
            String aloneOutput,
            Measured measured) {
        /** Counts one run's values into the layer's accumulators, reading them into arrays from {@code arrays}. */
        void measure(
                Map<String, Tensor> feed,
                Map<String, Tensor> floatRun,
                Map<String, Tensor> fakeRun,
                FloatArrays arrays) {
            Tensor x = fed ? feed.get(input) : floatRun.get(input);
            if (x == null) {
                throw new InvalidDataException(
                        "replay batch lacks the model input '" + input + "' of layer '" + layer + "'");
            }
            float[] values = arrays.read(x);
            try {
                measured.input().accept(values, Math.toIntExact(x.size()));
            } finally {
                arrays.release(values);
            }
            measured.output()
                    .add(floatRun.get(floatOutput), fakeRun.get(fakeOutput), floatRun.get(aloneOutput), arrays);
        }
    }

    /**
     * Replays {@code feeds}, showing each run to {@code listener}; returns layer name → its measurements, in the
     * order of {@code layers}.
     */
    static Map<String, Measured> run(
            OnnxModel floatModel,
            OnnxModel fakeQuant,
            List<LayerQuantization> layers,
            List<Map<String, Tensor>> feeds,
            Path scratch,
            ReplayListener listener) {
        LayerTwins.Probe probe = LayerTwins.build(floatModel, layers, "_isolated");
        Set<String> graphInputs = new HashSet<>();
        floatModel.proto().getGraph().getInputList().forEach(v -> graphInputs.add(v.getName()));

        Map<String, String> outputOf = new LinkedHashMap<>();
        Set<String> probeTensors = new LinkedHashSet<>();
        Set<String> fakeTensors = new LinkedHashSet<>();
        List<String> floatGraphOutputs = floatModel.outputNames();
        List<String> fakeGraphOutputs = fakeQuant.outputNames();
        Map<String, Measured> measured = new LinkedHashMap<>();
        for (LayerQuantization lq : layers) {
            QuantizableLayer l = lq.layer();
            String out = outputTensor(floatModel, l);
            outputOf.put(l.name(), out);
            if (!graphInputs.contains(l.dataInput())) probeTensors.add(l.dataInput());
            probeTensors.add(out);
            probeTensors.add(probe.twinOutputs().get(l.name()));
            fakeTensors.add(out);
            measured.put(l.name(), new Measured(new InputStatistics(lq.activation()), new OutputComparison(out)));
        }
        SubgraphTaps.Tapped probeTaps = SubgraphTaps.tap(probe.model().proto(), List.copyOf(probeTensors));
        SubgraphTaps.Tapped fakeTaps = SubgraphTaps.tap(fakeQuant.proto(), List.copyOf(fakeTensors));
        try (ScratchFolder dir = ScratchFolder.under(scratch, "report-replay")) {
            Path probeFile = dir.resolve("float_with_isolated_layers.onnx");
            Path fakeFile = dir.resolve("fake_quant_with_layer_outputs.onnx");
            ModelIo.save(probe.model().withProto(probeTaps.model()), probeFile);
            ModelIo.save(fakeQuant.withProto(fakeTaps.model()), fakeFile);
            List<String> probeOutputs = Stream.concat(floatGraphOutputs.stream(), probeTaps.outputs().values().stream())
                    .distinct()
                    .toList();
            List<String> fakeOutputs = Stream.concat(fakeGraphOutputs.stream(), fakeTaps.outputs().values().stream())
                    .distinct()
                    .toList();
            boolean reuse = !GraphScopes.hasSubgraphs(probeTaps.model()) && !GraphScopes.hasSubgraphs(fakeTaps.model());
            try (InferenceSession floatSession = InferenceSession.open(probeFile, FLOAT_SETTINGS);
                    InferenceSession fakeSession = InferenceSession.open(fakeFile, FAKE_QUANT_SETTINGS);
                    ReusedOutputs floatRun = floatSession.reusingOutputs(reuse);
                    ReusedOutputs fakeRun = fakeSession.reusingOutputs(reuse)) {
                List<Taps> taps = new ArrayList<>();
                for (LayerQuantization lq : layers) {
                    QuantizableLayer l = lq.layer();
                    boolean fed = graphInputs.contains(l.dataInput());
                    String out = outputOf.get(l.name());
                    taps.add(new Taps(
                            l.name(),
                            fed ? l.dataInput() : probeTaps.outputs().get(l.dataInput()),
                            fed,
                            probeTaps.outputs().get(out),
                            fakeTaps.outputs().get(out),
                            probeTaps.outputs().get(probe.twinOutputs().get(l.name())),
                            measured.get(l.name())));
                }
                FloatArrays arrays = new FloatArrays();
                List<Map<String, Tensor>> runs = new ArrayList<>();
                for (Map<String, Tensor> batch : feeds) {
                    runs.addAll(SampleChunks.split(batch, floatSession.inputs(), SAMPLES_PER_RUN));
                }
                for (Map<String, Tensor> feed : runs) {
                    Map<String, Tensor> f = floatRun.run(feed, probeOutputs);
                    Map<String, Tensor> q = fakeRun.run(feed, fakeOutputs);
                    // Each layer's accumulators are its own, so layers are measured in parallel; a failure is reported
                    // for the first layer in report order, whichever thread met it first.
                    RuntimeException[] failures = new RuntimeException[taps.size()];
                    IntStream.range(0, taps.size()).parallel().forEach(i -> {
                        try {
                            taps.get(i).measure(feed, f, q, arrays);
                        } catch (RuntimeException e) {
                            failures[i] = e;
                        }
                    });
                    for (RuntimeException failure : failures) {
                        if (failure != null) throw failure;
                    }
                    listener.ran(feed, f, q);
                }
            }
        }
        return measured;
    }

    /** The layer node's first output in its own scope: the tensor both models compute under that name. */
    static String outputTensor(OnnxModel model, QuantizableLayer layer) {
        return GraphScopes.graph(model.proto(), layer.scope()).getNodeList().stream()
                .filter(n -> n.getName().equals(layer.name()))
                .map(NodeProto::getOutputList)
                .map(outs -> outs.get(0))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "no node '" + layer.name() + "' in scope '" + layer.scope() + "'"));
    }
}
