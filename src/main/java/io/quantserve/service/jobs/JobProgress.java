package io.quantserve.service.jobs;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A progress report of a running attempt.
 *
 * @param stage the current stage
 * @param fraction fraction of the whole job done, 0 to 1
 * @param batchDone calibration batches finished, or null outside calibration
 * @param batchTotal calibration batches planned, or null outside calibration
 * @param timings seconds per stage so far, in stage order
 */
public record JobProgress(
        String stage,
        double fraction,
        @Nullable Integer batchDone,
        @Nullable Integer batchTotal,
        Map<String, Double> timings) {
    public JobProgress {
        if (!(fraction >= 0 && fraction <= 1)) throw new IllegalArgumentException("fraction must lie in [0, 1]");
        timings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(timings));
    }
}
