package io.quantserve.engine.pipeline;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.ScratchFolder;
import io.quantserve.engine.calibration.CalibrationStatistics;
import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.calibration.StatisticsFile;
import io.quantserve.engine.calibration.StatisticsProvenance;
import io.quantserve.engine.calibration.StatisticsProvenance.WeightSetting;
import io.quantserve.engine.calibration.data.BatchPlan;
import io.quantserve.engine.calibration.data.BatchStream;
import io.quantserve.engine.calibration.data.CalibrationData;
import io.quantserve.engine.config.ActivationAlgorithm;
import io.quantserve.engine.config.QuantConfig;
import io.quantserve.engine.export.Manifest;
import io.quantserve.engine.probe.AutoRangeSelection;
import io.quantserve.engine.quant.LayerPlan;
import io.quantserve.engine.quant.LayerQuantization;
import io.quantserve.engine.quant.LayerQuantizer;
import io.quantserve.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@code quantize --from-stats}: the config (any range algorithm and parameters, symmetry, skip list) applied to the
 * histograms of an earlier run's {@code statistics.bin}, weights quantized again from the model, no calibration
 * forward pass. The statistics must come from the same model file and hold the input of every layer to quantize.
 *
 * <p>Approximation: the statistics were observed on a calibration model whose weights were quantized as in the
 * original run. A run that quantizes other layers' weights (another skip list, another {@code channel_wise}) would,
 * calibrating afresh as AMCT does, see slightly different activations downstream of those layers; here it reads the
 * old ones. The result says so in a note, naming the layers that differ. With the same weight settings the ranges
 * are exactly those a fresh calibration on the same data would give.
 */
final class StatisticsQuantization {
    private StatisticsQuantization() {}

    static QuantizeResult run(
            QuantizeRequest request,
            QuantConfig config,
            QuantizationPipeline.Fused fused,
            List<LayerPlan> plans,
            List<String> floatLayers,
            List<String> notes,
            ProgressListener progress) {
        Path file = Objects.requireNonNull(request.statistics());
        progress.stage("statistics");
        CalibrationStatistics statistics = StatisticsFile.read(file);
        StatisticsProvenance provenance = statistics.provenance();
        String modelSha256 = Manifest.digest(request.model()).sha256();
        if (!modelSha256.equals(provenance.modelSha256())) {
            throw new InvalidDataException("statistics file '" + file + "' was computed on a model with sha256 "
                    + provenance.modelSha256() + ", not on '" + request.model() + "' (sha256 " + modelSha256
                    + "); quantize that model with --data to compute its statistics");
        }
        requireCoverage(statistics, plans, file);

        progress.stage("weights");
        Function<String, ActivationAlgorithm> algorithmOf =
                name -> config.layer(name).orElseThrow().activation().algorithm();
        LayerQuantizer.Result result = LayerQuantizer.fromStatistics(
                fused.model(), plans, p -> algorithmOf.apply(p.layer().name()), statistics.tensors());
        notes.addAll(result.notes());
        List<Map<String, Tensor>> retained = retainedFeeds(
                request,
                Math.max(
                        request.parityBatches(),
                        AutoRangeSelection.batchesToMeasure(plans, algorithmOf, request.batchSize())));
        AutoRangeSelection.Result auto;
        try (ScratchFolder scratch = ScratchFolder.temporary("run")) {
            auto = AutoRangeSelection.select(
                    fused.model(),
                    plans,
                    algorithmOf,
                    result.factors(),
                    statistics.tensors(),
                    config.biasOverflowPolicy(),
                    retained,
                    scratch.path());
        }
        notes.addAll(auto.notes());
        List<LayerQuantization> layers =
                QuantizationPipeline.build(fused.model(), plans, auto.factors(), config, floatLayers, notes);
        String algorithm = QuantizationPipeline.describe(layers, algorithmOf, auto);
        notes.add("activation ranges: " + algorithm + " from statistics '" + file + "' of " + provenance.batches()
                + " batch(es) of " + provenance.batchSize() + " sample(s); no calibration forward pass");
        notes.add(approximationNote(provenance, fused, plans));
        List<Map<String, Tensor>> feeds = QuantizationPipeline.parityFeeds(retained, request.parityBatches());

        RunOptions options = new RunOptions(
                "from-stats",
                provenance.batchSize(),
                provenance.batchNum(),
                algorithm,
                config.biasOverflowPolicy().jsonName(),
                layers.stream().map(l -> l.layer().name()).toList(),
                floatLayers);
        return ArtefactWriter.write(
                new ArtefactWriter.Inputs(request.model(), request.data(), request.config(), null, file),
                request.outDir(),
                fused.model(),
                config,
                layers,
                feeds,
                options,
                notes,
                progress,
                statistics);
    }

    private static void requireCoverage(CalibrationStatistics statistics, List<LayerPlan> plans, Path file) {
        for (LayerPlan p : plans) {
            String tensor = p.layer().dataInput();
            if (statistics.tensor(tensor).isEmpty()) {
                List<String> quantizedThen = statistics.provenance().weights().stream()
                        .filter(WeightSetting::enabled)
                        .map(WeightSetting::layer)
                        .toList();
                throw new InvalidConfigException("statistics file '" + file + "' holds no values for input '"
                        + tensor + "' of enabled layer '" + p.layer().name() + "' (it observed the inputs of "
                        + String.join(", ", quantizedThen) + "); skip the layer or quantize with --data");
            }
        }
    }

    private static String approximationNote(
            StatisticsProvenance provenance, QuantizationPipeline.Fused fused, List<LayerPlan> plans) {
        List<String> differences = CalibrationProvenance.weightDifferences(
                provenance.weights(), CalibrationProvenance.weightSettings(fused.scan(), plans), fused.scan());
        if (differences.isEmpty()) {
            return "statistics observed with the same weight quantization as this run: the activation ranges equal"
                    + " those of a new calibration on the same data";
        }
        return "approximation: the statistics were observed with the original run's quantized weights, and this run"
                + " quantizes the weights of " + differences.size() + " layer(s) differently ("
                + String.join("; ", differences) + "), so the activations downstream of them differ slightly from"
                + " what a new calibration would observe (AMCT calibrates again); quantize with --data for exact"
                + " ranges";
    }

    /** The first {@code count} batches of the data given with the statistics; none when no data was given. */
    private static List<Map<String, Tensor>> retainedFeeds(QuantizeRequest request, int count) {
        Path data = request.data();
        if (data == null) return List.of();
        try (CalibrationData source = CalibrationData.open(data);
                BatchStream stream = source.batches(
                        QuantizationPipeline.inputsOf(request.model()), new BatchPlan(request.batchSize(), count))) {
            RetainingIterator it = new RetainingIterator(stream, count);
            while (it.hasNext()) it.next();
            return it.retained();
        }
    }
}
