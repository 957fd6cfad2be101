package io.quantserve.engine.pipeline;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.ScratchFolder;
import io.quantserve.engine.calibration.CalibrationStatistics;
import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.calibration.data.BatchPlan;
import io.quantserve.engine.calibration.data.BatchStream;
import io.quantserve.engine.calibration.data.CalibrationData;
import io.quantserve.engine.config.ActivationAlgorithm;
import io.quantserve.engine.config.ConfigFactory;
import io.quantserve.engine.config.QuantConfig;
import io.quantserve.engine.config.QuantConfigs;
import io.quantserve.engine.export.LayerRecord;
import io.quantserve.engine.export.Manifest;
import io.quantserve.engine.export.RecordFile;
import io.quantserve.engine.fusion.BatchNormFusion;
import io.quantserve.engine.fusion.FusionOptions;
import io.quantserve.engine.fusion.GemmNormalizer;
import io.quantserve.engine.layers.LayerFinder;
import io.quantserve.engine.layers.LayerScan;
import io.quantserve.engine.layers.QuantizableLayer;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.probe.AutoRangeSelection;
import io.quantserve.engine.quant.ActivationObservers;
import io.quantserve.engine.quant.LayerFactors;
import io.quantserve.engine.quant.LayerPlan;
import io.quantserve.engine.quant.LayerQuantization;
import io.quantserve.engine.quant.LayerQuantizations;
import io.quantserve.engine.quant.LayerQuantizer;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.runtime.ValueSpec;
import io.quantserve.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The end-to-end run, as a fixed sequence of named stages: prepare → config → fuse → balance (DMQ, only for layers
 * whose config sets {@code dmq_balancer_param}: one streaming pre-pass, then an exact float rewrite) → plan →
 * calibrate (weights first, then one streaming pass; or, given an earlier run's {@code statistics.bin}, the config
 * applied to its histograms: {@link StatisticsQuantization}) → export → verify → publish. Both entry points end in
 * {@link ArtefactWriter}, so quantizing and re-exporting from a record produce the same files from the same factors.
 */
public final class QuantizationPipeline {
    private QuantizationPipeline() {}

    /**
     * AMCT's quantize_model + calibration + save_model in one run; the calibration statistics are published with
     * the artefacts ({@code statistics.bin}). With {@link QuantizeRequest#statistics()} no forward pass is run: the
     * stored statistics give the activation ranges and the data, if any, only serves verification.
     */
    public static QuantizeResult quantize(QuantizeRequest request, ProgressListener progress) {
        progress.stage("prepare");
        PreparedModel prepared = ModelPreparation.prepare(request.model());
        List<String> notes = new ArrayList<>(prepared.changes());
        QuantConfig config = request.config() == null
                ? ConfigFactory.create(prepared.scan(), request.configOptions())
                : QuantConfigs.read(request.config());
        QuantConfigs.validateAgainst(config, prepared.scan());
        int batchNum = request.batchNum() != null ? request.batchNum() : config.batchNum();

        progress.stage("fuse");
        Fused unbalanced = fuse(prepared, config, notes);
        if (request.statistics() != null) {
            if (!config.balancedLayers().isEmpty()) {
                throw new InvalidConfigException("dmq_balancer_param is set for " + config.balancedLayers()
                        + ": DMQ balancing changes the layer inputs, so it needs a calibration pass; run quantize"
                        + " with --data instead of --from-stats");
            }
            List<String> floatLayers = new ArrayList<>();
            List<LayerPlan> plans = plan(config, unbalanced.scan(), floatLayers);
            return StatisticsQuantization.run(request, config, unbalanced, plans, floatLayers, notes, progress);
        }

        Path dataPath = Objects.requireNonNull(request.data());
        List<ValueSpec> inputs = inputsOf(request.model());
        BatchPlan batchPlan = new BatchPlan(request.batchSize(), batchNum);
        try (CalibrationData data = CalibrationData.open(dataPath);
                ScratchFolder scratch = ScratchFolder.temporary("run")) {
            DmqStage.Balanced balanced =
                    DmqStage.calibrate(unbalanced, config, data, inputs, batchPlan, progress, scratch.path(), notes);
            Fused fused = balanced.fused();
            List<String> floatLayers = new ArrayList<>();
            List<LayerPlan> plans = plan(config, fused.scan(), floatLayers);
            Function<String, ActivationAlgorithm> algorithmOf =
                    name -> config.layer(name).orElseThrow().activation().algorithm();
            RetainingIterator batches;
            LayerQuantizer.Result result;
            try (BatchStream stream = data.batches(inputs, batchPlan)) {
                if (stream.schedule().isShort()) notes.add(stream.schedule().summary());
                batches = new RetainingIterator(
                        stream,
                        Math.max(
                                request.parityBatches(),
                                AutoRangeSelection.batchesToMeasure(plans, algorithmOf, request.batchSize())));
                progress.stage("weights");
                result = LayerQuantizer.computeFactors(
                        fused.model(),
                        plans,
                        p -> algorithmOf.apply(p.layer().name()),
                        batches,
                        batchNum,
                        SessionSettings.interleaved(),
                        progress,
                        scratch.path());
            }
            notes.addAll(result.notes());
            AutoRangeSelection.Result auto = AutoRangeSelection.select(
                    fused.model(),
                    plans,
                    algorithmOf,
                    DmqStage.withBalance(result.factors(), balanced.factors()),
                    result.statistics(),
                    config.biasOverflowPolicy(),
                    batches.retained(),
                    scratch.path());
            notes.addAll(auto.notes());
            List<LayerQuantization> layers = build(fused.model(), plans, auto.factors(), config, floatLayers, notes);
            String algorithm = describe(layers, algorithmOf, auto);
            notes.add("activation ranges: " + algorithm + " over " + batches.consumed() + " batch(es)");
            CalibrationStatistics statistics = new CalibrationStatistics(
                    CalibrationProvenance.of(
                            Manifest.digest(request.model()).sha256(),
                            DataDigest.sha256(dataPath),
                            request.batchSize(),
                            batchNum,
                            batches.consumed(),
                            fused.scan(),
                            plans),
                    result.statistics());
            RunOptions options = new RunOptions(
                    "quantize",
                    request.batchSize(),
                    batchNum,
                    algorithm,
                    config.biasOverflowPolicy().jsonName(),
                    layers.stream().map(l -> l.layer().name()).toList(),
                    floatLayers);
            return ArtefactWriter.write(
                    new ArtefactWriter.Inputs(request.model(), dataPath, request.config(), null, null),
                    request.outDir(),
                    fused.model(),
                    config,
                    layers,
                    parityFeeds(batches.retained(), request.parityBatches()),
                    options,
                    notes,
                    progress,
                    statistics);
        }
    }

    /** AMCT's save_model: re-export from a config and a record, no calibration. */
    public static QuantizeResult save(SaveRequest request, ProgressListener progress) {
        progress.stage("prepare");
        PreparedModel prepared = ModelPreparation.prepare(request.model());
        List<String> notes = new ArrayList<>(prepared.changes());
        QuantConfig config = QuantConfigs.read(request.config());
        QuantConfigs.validateAgainst(config, prepared.scan());
        Map<String, LayerRecord> record = RecordFile.requireCalibrated(
                RecordFile.read(request.record()), request.record().toString());
        Fused fused = DmqStage.fromRecord(
                        fuse(prepared, config, notes),
                        config,
                        record,
                        request.record().toString(),
                        notes)
                .fused();
        List<String> floatLayers = new ArrayList<>();
        List<LayerPlan> plans = plan(config, fused.scan(), floatLayers);
        Map<String, LayerFactors> factors = new LinkedHashMap<>();
        for (LayerPlan p : plans) {
            LayerRecord r = record.get(p.layer().name());
            if (r == null) {
                throw new io.quantserve.engine.InvalidConfigException("record '" + request.record()
                        + "' has no entry for enabled layer '" + p.layer().name() + "'");
            }
            factors.put(p.layer().name(), r.factors());
        }
        for (String name : record.keySet()) {
            if (!factors.containsKey(name))
                notes.add("record entry '" + name + "' ignored: layer not enabled in config");
        }
        List<LayerQuantization> layers = build(fused.model(), plans, factors, config, floatLayers, notes);
        List<Map<String, Tensor>> feeds = List.of();
        if (request.data() != null) {
            try (CalibrationData data = CalibrationData.open(request.data());
                    BatchStream stream =
                            data.batches(inputsOf(request.model()), new BatchPlan(request.batchSize(), 1))) {
                RetainingIterator it = new RetainingIterator(stream, 1);
                while (it.hasNext()) it.next();
                feeds = it.retained();
            }
        }
        RunOptions options = new RunOptions(
                "save",
                request.batchSize(),
                feeds.isEmpty() ? 0 : 1,
                "record",
                config.biasOverflowPolicy().jsonName(),
                layers.stream().map(l -> l.layer().name()).toList(),
                floatLayers);
        return ArtefactWriter.write(
                new ArtefactWriter.Inputs(request.model(), request.data(), request.config(), request.record(), null),
                request.outDir(),
                fused.model(),
                config,
                layers,
                feeds,
                options,
                notes,
                progress,
                null);
    }

    record Fused(OnnxModel model, LayerScan scan) {}

    static Fused fuse(PreparedModel prepared, QuantConfig config, List<String> notes) {
        BatchNormFusion.Result bn = BatchNormFusion.apply(
                prepared.model(), new FusionOptions(config.doFusion(), Set.copyOf(config.skipFusionLayers())));
        if (!bn.fused().isEmpty()) {
            notes.add("BatchNormalization folded into " + bn.fused().size() + " convolution(s)");
        }
        OnnxModel model = GemmNormalizer.apply(bn.model());
        return new Fused(model, LayerFinder.scan(model.proto()));
    }

    /** Enabled layers that the engine can quantize now; the rest go to {@code floatLayers} with the reason. */
    static List<LayerPlan> plan(QuantConfig config, LayerScan scan, List<String> floatLayers) {
        Set<String> enabled = new HashSet<>(config.enabledLayers());
        List<LayerPlan> plans = new ArrayList<>();
        for (QuantizableLayer layer : scan.layers()) {
            if (!enabled.contains(layer.name())) {
                floatLayers.add(layer.name() + ": quant_enable is false");
                continue;
            }
            var lc = config.layer(layer.name()).orElseThrow();
            plans.add(new LayerPlan(layer, lc.weight().channelWise(), config.asymmetric(layer.name())));
        }
        return plans;
    }

    static List<LayerQuantization> build(
            OnnxModel model,
            List<LayerPlan> plans,
            Map<String, LayerFactors> factors,
            QuantConfig config,
            List<String> floatLayers,
            List<String> notes) {
        List<LayerQuantization> out = new ArrayList<>();
        for (LayerPlan p : plans) {
            Optional<LayerQuantization> lq = LayerQuantizations.build(
                    model, p.layer(), factors.get(p.layer().name()), config.biasOverflowPolicy());
            if (lq.isEmpty()) {
                floatLayers.add(p.layer().name() + ": INT32 bias overflow (bias_overflow_policy skip_layer)");
            } else {
                if (!java.util.Arrays.equals(
                        lq.get().weightScales(), factors.get(p.layer().name()).weightScales())) {
                    notes.add(
                            "layer '" + p.layer().name()
                                    + "': weight scale enlarged so the INT32 bias fits (bias_overflow_policy adjust_weight_scale)");
                }
                out.add(lq.get());
            }
        }
        return out;
    }

    /**
     * The run's algorithm label ({@link ActivationObservers#describe}) over the quantized layers, with each {@code auto}
     * layer counted under the candidate it chose.
     */
    static String describe(
            List<LayerQuantization> layers,
            Function<String, ActivationAlgorithm> algorithmOf,
            AutoRangeSelection.Result auto) {
        Map<String, ActivationAlgorithm> chosen = new LinkedHashMap<>();
        auto.choices().forEach(c -> chosen.put(c.layer(), c.chosen()));
        return ActivationObservers.describe(layers.stream()
                .map(l -> chosen.getOrDefault(
                        l.layer().name(), algorithmOf.apply(l.layer().name())))
                .toList());
    }

    /** The first {@code parityBatches} of the retained batches: those the verification and the report replay. */
    static List<Map<String, Tensor>> parityFeeds(List<Map<String, Tensor>> retained, int parityBatches) {
        return retained.subList(0, Math.min(parityBatches, retained.size()));
    }

    /** The model's inputs as ONNX Runtime sees them; no graph optimisation runs, as the session never runs. */
    static List<ValueSpec> inputsOf(Path model) {
        try (InferenceSession s = InferenceSession.open(model, SessionSettings.unoptimized())) {
            return s.inputs();
        }
    }

    static String baseName(Path model) {
        String f = model.getFileName().toString();
        return f.endsWith(".onnx") ? f.substring(0, f.length() - 5) : f;
    }

    static OnnxModel load(Path model) {
        return ModelIo.load(model);
    }
}
