package io.quantserve.bench;

import org.jspecify.annotations.Nullable;

/**
 * What one benchmark case measured. Fields other than {@code name} are null when the case was skipped or failed
 * before reaching them; {@code problem} says why.
 *
 * @param name the case's id
 * @param model the float model's file name
 * @param samples calibration samples used ({@code batchSize × batchNum})
 * @param batchSize samples per calibration batch
 * @param batchNum calibration batches
 * @param floor the fp32 inference floor, the faster of a measurement just before and one just after the job
 * @param job the quantize process
 * @param metric the task metric, when the case has one and the job succeeded
 * @param loadBefore 1-minute load average before the case
 * @param loadAfter 1-minute load average right after the job
 * @param problem why the case was skipped or failed; null when it ran through
 */
record CaseResult(
        String name,
        @Nullable String model,
        int samples,
        int batchSize,
        int batchNum,
        InferenceFloor.@Nullable Floor floor,
        QuantizeJob.@Nullable Run job,
        @Nullable MetricResult metric,
        double loadBefore,
        double loadAfter,
        @Nullable String problem) {

    /** This result with the quantized models' task metric. */
    CaseResult withMetric(MetricResult m) {
        return new CaseResult(name, model, samples, batchSize, batchNum, floor, job, m, loadBefore, loadAfter, problem);
    }

    /** This result with what went wrong. */
    CaseResult withProblem(String p) {
        return new CaseResult(name, model, samples, batchSize, batchNum, floor, job, metric, loadBefore, loadAfter, p);
    }

    /** Calibration + export time over the floor; null when either is unknown. */
    @Nullable
    Double calibrationAndExportRatio() {
        Double t = job == null ? null : job.calibrationAndExportSeconds();
        return t == null || floor == null ? null : t / floor.totalSeconds();
    }

    /** Whole job wall time over the floor; null when either is unknown. */
    @Nullable
    Double wholeJobRatio() {
        return job == null || floor == null ? null : job.wallSeconds() / floor.totalSeconds();
    }

    /** True when the case was skipped (a shared fixture is absent). */
    boolean skipped() {
        return problem != null && problem.startsWith(BenchmarkRunner.SKIPPED);
    }
}
