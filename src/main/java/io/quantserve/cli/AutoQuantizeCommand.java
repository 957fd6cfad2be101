package io.quantserve.cli;

import io.quantserve.engine.accuracy.AccuracyTarget;
import io.quantserve.engine.accuracy.AutoQuantizeRequest;
import io.quantserve.engine.accuracy.AutoQuantizeResult;
import io.quantserve.engine.accuracy.AutoQuantizer;
import io.quantserve.engine.accuracy.BuiltInMetric;
import io.quantserve.engine.accuracy.RankBy;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.pipeline.QuantizeRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code auto-quantize}: AMCT's accuracy-based automatic quantization. Prints a JSON summary on stdout; values that
 * are not finite (the float model's SQNR) are printed as {@code null}.
 */
@Command(
        name = "auto-quantize",
        description = "Quantize, evaluate on an evaluation set and keep the fewest most sensitive layers in float "
                + "that meet the target; writes the artefacts plus sensitivity.json and rollback_history.json to DIR.")
final class AutoQuantizeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, description = "the float ONNX model")
    Path model;

    @Option(names = "--data", required = true, description = "calibration data: .npz, .npy or a test-data folder")
    Path data;

    @Option(names = "--eval", required = true, description = "evaluation set: .npz keyed by input name (+ labels)")
    Path eval;

    @Option(
            names = "--metric",
            required = true,
            description = "top1 (labels), top1-agreement, cosine or sqnr (the last three against the fp32 outputs)")
    String metric;

    @ArgGroup(multiplicity = "1")
    Target target;

    static final class Target {
        @Option(
                names = "--max-drop",
                required = true,
                description = "largest allowed drop from fp32, in the metric's unit (percentage points for top1 and "
                        + "top1-agreement)")
        @Nullable
        Double maxDrop;

        @Option(names = "--min-value", required = true, description = "smallest allowed value (use for sqnr, in dB)")
        @Nullable
        Double minValue;

        AccuracyTarget toTarget() {
            return maxDrop != null ? new AccuracyTarget.MaxDrop(maxDrop) : new AccuracyTarget.AtLeast(minValue);
        }
    }

    @Option(names = "--labels", description = "labels array of --eval for top1 (default: labels)")
    @Nullable
    String labels;

    @Option(names = "--output", description = "the model output scored, the logits (default: the first output)")
    @Nullable
    String output;

    @Option(names = "--config", description = "AMCT config (default: created with AMCT defaults)")
    @Nullable
    Path config;

    @Option(names = "--skip-layers", split = ",", description = "layers never quantized when no --config is given")
    List<String> skipLayers = List.of();

    @Option(names = "--batch-size", description = "calibration samples per batch (default ${DEFAULT-VALUE})")
    int batchSize = 32;

    @Option(names = "--batch-num", description = "calibration batches (default: the config's batch_num)")
    @Nullable
    Integer batchNum;

    @Option(names = "--eval-batch-size", description = "evaluation samples per batch (default ${DEFAULT-VALUE})")
    int evalBatchSize = 64;

    @Option(
            names = "--sensitivity-batches",
            description = "calibration batches replayed to rank the layers (default ${DEFAULT-VALUE})")
    int sensitivityBatches = 1;

    @Option(names = "--rank-by", description = "sqnr or amct-score (default ${DEFAULT-VALUE})")
    String rankBy = RankBy.ISOLATED_SQNR.cliName();

    @Option(
            names = "--max-float-layers",
            description = "most layers the search may keep in float (default: all ranked layers but one)")
    @Nullable
    Integer maxFloatLayers;

    @Option(names = "--out", required = true, description = "output folder; written completely or not at all")
    Path out;

    /** The JSON printed on success. */
    record Summary(
            String outDir,
            String metric,
            String unit,
            String target,
            @Nullable Double fp32,
            @Nullable Double allInt8,
            @Nullable Double finalValue,
            List<String> layersInFloat,
            int candidatesTried,
            List<Tried> candidates,
            List<String> quantizedLayers,
            List<String> artefacts) {}

    /** One candidate of the search. */
    record Tried(
            int k, List<String> layersInFloat, @Nullable Double value, boolean passed) {}

    @Override
    public Integer call() {
        BuiltInMetric kind = BuiltInMetric.parse(metric);
        AutoQuantizeResult r = AutoQuantizer.run(
                new AutoQuantizeRequest(
                        new QuantizeRequest(
                                model,
                                data,
                                config,
                                ConfigOptions.builder().skipLayers(skipLayers).build(),
                                batchSize,
                                batchNum,
                                out,
                                sensitivityBatches),
                        eval,
                        evalBatchSize,
                        kind.create(eval, output, labels),
                        target.toTarget(),
                        RankBy.parse(rankBy),
                        maxFloatLayers),
                new TerminalProgress(spec.commandLine().getErr()));
        List<Tried> tried = r.candidates().stream()
                .map(c -> new Tried(c.floatCount(), c.layersInFloat(), finite(c.value()), c.passed()))
                .toList();
        Json.print(
                spec.commandLine().getOut(),
                new Summary(
                        r.outDir().toString(),
                        r.metric(),
                        r.unit(),
                        r.target(),
                        finite(r.floatValue()),
                        finite(r.allInt8Value()),
                        finite(r.finalValue()),
                        r.layersInFloat(),
                        tried.size(),
                        tried,
                        r.quantizedLayers(),
                        r.artefacts()));
        return 0;
    }

    private static @Nullable Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
