package io.quantserve.engine.accuracy;

import io.quantserve.engine.ScratchFolder;
import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.pipeline.QuantizationPipeline;
import io.quantserve.engine.pipeline.QuantizeRequest;
import io.quantserve.engine.pipeline.QuantizeResult;
import io.quantserve.engine.report.QualityReports;
import java.nio.file.Path;
import java.util.List;

/**
 * Accuracy-based automatic quantization, AMCT's flow without user code:
 *
 * <ol>
 *   <li>evaluate the float model on the evaluation set (streamed in batches);
 *   <li>quantize every enabled layer with one calibration pass ({@link QuantizationPipeline#quantize}) and evaluate
 *       its fake-quant model; when it meets the target, publish it;
 *   <li>else rank the quantized layers by sensitivity, read from that run's quality report ({@link
 *       QualityReports#readSensitivity}: each layer quantized alone on the retained calibration batches), and
 *       binary-search the smallest k such that keeping the k most sensitive layers in float meets the target
 *       ({@link RollbackSearch}). Each candidate is re-exported from the same record ({@link
 *       QuantizationPipeline#save}, the layers written {@code quant_enable: false}) — no new calibration — and its
 *       fake-quant model evaluated;
 *   <li>publish the chosen candidate's artefacts (exported again with the calibration data, so they are verified and
 *       carry a full quality report) plus {@code sensitivity.json} and {@code rollback_history.json}, all or nothing.
 * </ol>
 *
 * When even the largest candidate (every ranked layer but one, or {@code maxFloatLayers}, in float) misses the target,
 * {@link AccuracyTargetUnreachableException} is thrown and nothing is published. Keeping a layer in float changes its
 * successors' inputs slightly while their factors stay those of the all-INT8 calibration (see the package
 * documentation); every candidate is judged by its own evaluation.
 */
public final class AutoQuantizer {
    private static final String CONFIG_FILE = "quant_config.json";
    private static final String RECORD_FILE = "record.txt";
    private static final String FAKE_QUANT_SUFFIX = "_fake_quant_model.onnx";

    private AutoQuantizer() {}

    /**
     * Runs the search and publishes the chosen candidate into {@code request.quantize().outDir()}.
     *
     * @throws AccuracyTargetUnreachableException when no candidate meets the target; nothing is published
     * @throws io.quantserve.engine.InvalidConfigException when the target is a drop from a float value that is not
     *     finite (SQNR), and for the failures of {@link QuantizationPipeline#quantize}
     */
    public static AutoQuantizeResult run(AutoQuantizeRequest request, ProgressListener progress) {
        QuantizeRequest q = request.quantize();
        AccuracyMetric metric = request.metric();
        AccuracyTarget target = request.target();
        try (ScratchFolder scratch = ScratchFolder.temporary("run")) {
            Evaluator evaluator = new Evaluator(
                    request.evaluationSet(),
                    request.evaluationBatchSize(),
                    metric,
                    scratch.path().resolve("float-outputs.bin"));
            progress.stage("evaluate fp32");
            double floatValue = evaluator.evaluateFloat(q.model());
            target.threshold(floatValue);

            Path int8Dir = scratch.path().resolve("all-int8");
            QuantizeResult int8 = QuantizationPipeline.quantize(
                    new QuantizeRequest(
                            q.model(),
                            q.data(),
                            q.config(),
                            q.configOptions(),
                            q.batchSize(),
                            q.batchNum(),
                            int8Dir,
                            q.parityBatches()),
                    progress);
            progress.stage("evaluate all-INT8");
            double int8Value = evaluator.evaluate(artefact(int8, FAKE_QUANT_SUFFIX));
            Candidate allInt8 = new Candidate(0, List.of(), int8Value, target.isMet(floatValue, int8Value));

            SensitivityOrder order = SensitivityOrder.of(
                    QualityReports.readSensitivity(int8Dir.resolve(QualityReports.JSON_FILE)),
                    request.rankBy(),
                    int8.quantizedLayers());
            int maxFloat = maxFloat(request, order, int8);
            CandidateExport export = new CandidateExport(
                    q.model(), artefact(int8, CONFIG_FILE), artefact(int8, RECORD_FILE), scratch.path());
            RollbackSearch.Outcome outcome = RollbackSearch.run(allInt8, maxFloat, k -> {
                List<String> layers = order.mostSensitive(k);
                progress.stage("rollback: " + k + " layer(s) in float");
                Path dir = scratch.path().resolve("candidate-" + k);
                QuantizeResult r = export.export(layers, null, q.batchSize(), dir, ProgressListener.NONE);
                try {
                    double v = evaluator.evaluate(artefact(r, FAKE_QUANT_SUFFIX));
                    return new Candidate(k, layers, v, target.isMet(floatValue, v));
                } finally {
                    CandidateExport.delete(dir);
                }
            });
            Candidate chosen = outcome.chosen();
            if (chosen == null) {
                throw new AccuracyTargetUnreachableException(
                        metric.name(),
                        metric.unit(),
                        target.describe(metric.unit()),
                        floatValue,
                        outcome.history(),
                        maxFloat);
            }

            QuantizeResult published = int8;
            if (chosen.floatCount() > 0) {
                progress.stage("export: " + chosen.floatCount() + " layer(s) in float");
                published = export.export(
                        chosen.layersInFloat(),
                        q.data(),
                        q.batchSize(),
                        scratch.path().resolve("chosen"),
                        progress);
            }
            progress.stage("publish");
            List<String> artefacts = Publication.publish(
                    published.outDir(),
                    request,
                    SearchFiles.sensitivity(order, chosen.layersInFloat()),
                    SearchFiles.history(metric, target, floatValue, maxFloat, outcome.history(), chosen),
                    new Publication.Options(
                            "auto-quantize",
                            metric.name(),
                            metric.unit(),
                            target.describe(metric.unit()),
                            request.evaluationBatchSize(),
                            request.rankBy().cliName(),
                            maxFloat,
                            chosen.layersInFloat(),
                            Publication.runOptions(int8Dir),
                            Publication.runOptions(published.outDir())));
            return new AutoQuantizeResult(
                    q.outDir().toAbsolutePath().normalize(),
                    artefacts,
                    metric.name(),
                    metric.unit(),
                    target.describe(metric.unit()),
                    floatValue,
                    int8Value,
                    chosen.value(),
                    chosen.layersInFloat(),
                    published.quantizedLayers(),
                    outcome.history());
        }
    }

    /** Every ranked layer, capped by the request and so that at least one layer stays quantized. */
    private static int maxFloat(AutoQuantizeRequest request, SensitivityOrder order, QuantizeResult int8) {
        int max = Math.min(order.layers().size(), int8.quantizedLayers().size() - 1);
        Integer cap = request.maxFloatLayers();
        return cap == null ? max : Math.min(max, cap);
    }

    private static Path artefact(QuantizeResult run, String suffix) {
        return run.artefacts().stream()
                .filter(n -> n.endsWith(suffix))
                .findFirst()
                .map(run.outDir()::resolve)
                .orElseThrow(() -> new IllegalStateException(
                        "the run in " + run.outDir() + " wrote no *" + suffix + ": " + run.artefacts()));
    }
}
