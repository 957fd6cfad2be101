package io.quantserve.bench;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One benchmark run: a model, its calibration data and schedule, and the task metric to evaluate afterwards.
 *
 * @param name short id, used for the output folder and log file
 * @param model the float model (the supplier may skip the benchmark case when a shared fixture is absent)
 * @param calibration model-ready calibration data
 * @param batchSize samples per calibration batch
 * @param batchNum calibration batches, or {@link #ALL_SAMPLES} for every sample of the data file
 * @param metric evaluated on the run's models; null for runs that only measure time and memory
 */
record BenchCase(
        String name,
        Supplier<Path> model,
        Supplier<Path> calibration,
        int batchSize,
        int batchNum,
        @Nullable TaskMetric metric) {
    /** {@link #batchNum()} value meaning: as many batches as the data file's samples fill. */
    static final int ALL_SAMPLES = 0;
}
