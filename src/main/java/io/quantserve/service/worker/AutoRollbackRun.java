package io.quantserve.service.worker;

import io.quantserve.engine.accuracy.AutoQuantizeRequest;
import io.quantserve.engine.accuracy.AutoQuantizeResult;
import io.quantserve.engine.accuracy.AutoQuantizer;
import io.quantserve.engine.accuracy.RankBy;
import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.pipeline.QuantizeRequest;
import io.quantserve.engine.pipeline.QuantizeResult;
import io.quantserve.service.jobs.AutoRollback;
import io.quantserve.service.jobs.AutoRollbackResult;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A job's accuracy-based automatic quantization: the engine's {@link AutoQuantizer} on the job's calibration request
 * and evaluation dataset, layers ranked by their isolated SQNR (the CLI's default). An unreachable target is the
 * engine's {@code AccuracyTargetUnreachableException}, which fails the job with nothing published.
 *
 * @param published the run as a plain run reports it: artefacts in the request's output folder, layers quantized,
 *     layers the search kept in float (with the reason)
 * @param summary what the search found, for the job's result
 */
record AutoRollbackRun(QuantizeResult published, AutoRollbackResult summary) {

    /**
     * Runs the search.
     *
     * @param evaluation the evaluation {@code .npz}: one array per model input, plus {@code labels} for {@code top1}
     * @param evaluationBatchSize samples per evaluation batch
     */
    static AutoRollbackRun run(
            QuantizeRequest request,
            Path evaluation,
            int evaluationBatchSize,
            AutoRollback rollback,
            ProgressListener progress) {
        AutoQuantizeResult r = AutoQuantizer.run(
                new AutoQuantizeRequest(
                        request,
                        evaluation,
                        evaluationBatchSize,
                        rollback.kind().create(evaluation, null, null),
                        rollback.target(),
                        RankBy.ISOLATED_SQNR,
                        rollback.maxFloatLayers()),
                progress);
        List<String> floatLayers = r.layersInFloat().stream()
                .map(l -> l + ": kept in float by auto_rollback (" + r.metric() + " " + r.target() + ")")
                .toList();
        QuantizeResult published = new QuantizeResult(
                r.outDir(),
                r.artefacts(),
                r.quantizedLayers(),
                floatLayers,
                List.of("auto_rollback: " + r.metric() + " " + finite(r.finalValue()) + " " + r.unit() + " with "
                        + r.layersInFloat().size() + " layer(s) in float, after "
                        + r.candidates().size()
                        + " candidate(s); target " + r.target()),
                null);
        AutoRollbackResult summary = new AutoRollbackResult(
                r.metric(),
                r.unit(),
                r.target(),
                finite(r.floatValue()),
                finite(r.allInt8Value()),
                finite(r.finalValue()),
                r.layersInFloat(),
                r.candidates().size());
        return new AutoRollbackRun(published, summary);
    }

    private static @Nullable Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
