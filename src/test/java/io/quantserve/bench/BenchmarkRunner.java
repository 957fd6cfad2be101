package io.quantserve.bench;

import io.quantserve.engine.calibration.data.CalibrationData;
import io.quantserve.testing.Folders;
import java.nio.file.Path;
import java.util.List;
import org.opentest4j.TestAbortedException;

/**
 * Runs benchmark cases one after the other: the fp32 floor, the quantize job as a separate process, the floor again,
 * then the task metric on the job's fake-quant and INT8 models. A case whose fixture is absent is recorded as skipped,
 * a failing case as failed; neither stops the others.
 *
 * @param launcher how the job is started
 * @param quantizeOptions extra {@code quantize} options for every job (empty: the default configuration)
 * @param outDir {@code runs/<case>} receives the job's artefacts and {@code logs/<case>.log} its output
 */
record BenchmarkRunner(JobLauncher launcher, List<String> quantizeOptions, Path outDir) {
    static final String SKIPPED = "skipped: ";

    CaseResult run(BenchCase c) {
        try {
            return measure(c);
        } catch (RuntimeException e) {
            return new CaseResult(
                    c.name(), null, 0, c.batchSize(), c.batchNum(), null, null, null, -1, -1, "failed: " + e);
        }
    }

    private CaseResult measure(BenchCase c) {
        double loadBefore = MachineInfo.loadAverage();
        Path model;
        Path data;
        try {
            model = c.model().get();
            data = c.calibration().get();
        } catch (TestAbortedException e) {
            return new CaseResult(
                    c.name(),
                    null,
                    0,
                    c.batchSize(),
                    c.batchNum(),
                    null,
                    null,
                    null,
                    loadBefore,
                    -1,
                    SKIPPED + e.getMessage());
        }
        int batchNum = c.batchNum() == BenchCase.ALL_SAMPLES
                ? Math.toIntExact((samples(data) + c.batchSize() - 1) / c.batchSize())
                : c.batchNum();
        int samples = Math.toIntExact(Math.min((long) c.batchSize() * batchNum, samples(data)));
        String modelName = model.getFileName().toString();
        Path runDir = outDir.resolve("runs").resolve(c.name());
        Folders.deleteTree(runDir);
        InferenceFloor.Floor floor = InferenceFloor.measure(model, data, c.batchSize(), batchNum);
        QuantizeJob.Run job = QuantizeJob.run(
                launcher,
                quantizeOptions,
                model,
                data,
                c.batchSize(),
                batchNum,
                runDir,
                outDir.resolve("logs").resolve(c.name() + ".log"));
        double loadAfter = MachineInfo.loadAverage();
        floor = InferenceFloor.faster(floor, InferenceFloor.measure(model, data, c.batchSize(), batchNum));
        CaseResult ran = new CaseResult(
                c.name(), modelName, samples, c.batchSize(), batchNum, floor, job, null, loadBefore, loadAfter, null);
        if (job.exitCode() != 0) {
            return ran.withProblem("quantize exited with " + job.exitCode() + ", see " + job.log());
        }
        if (c.metric() == null) return ran;
        // the pipeline names its artefacts after the model file without ".onnx"
        String base = modelName.endsWith(".onnx") ? modelName.substring(0, modelName.length() - 5) : modelName;
        try {
            return ran.withMetric(c.metric()
                    .evaluate(
                            model,
                            runDir.resolve(base + "_fake_quant_model.onnx"),
                            runDir.resolve(base + "_int8_model.onnx")));
        } catch (RuntimeException e) {
            return ran.withProblem("evaluation failed: " + e);
        }
    }

    private static long samples(Path data) {
        try (CalibrationData d = CalibrationData.open(data)) {
            return d.describe()
                    .sampleCount()
                    .orElseThrow(() -> new IllegalStateException(data + ": arrays disagree on the sample count"));
        }
    }
}
