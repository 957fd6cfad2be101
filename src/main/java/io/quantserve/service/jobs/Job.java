package io.quantserve.service.jobs;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A row of the {@code jobs} table, as read at one moment.
 *
 * @param stage the stage last reported by the worker ({@code fetch}, {@code prepare}, {@code calibrate}, …); null
 *     before the first claim
 * @param progress fraction done, 0 to 1
 * @param attempts claims so far; the current attempt's number while RUNNING
 * @param leaseOwner the worker holding the job while RUNNING
 * @param leaseExpiresAt when the lease ends unless the worker heartbeats
 * @param cancelRequested a cancel arrived while RUNNING; the worker stops at the next batch or stage
 * @param notBefore a requeued job is not claimed before this instant
 * @param batchDone calibration batches finished, while calibrating
 * @param batchTotal calibration batches planned, while calibrating
 * @param timings stage name → seconds, of the current (or last) attempt, in stage order
 * @param startedAt when the current (or last) attempt was claimed
 * @param finishedAt when the job reached its terminal state
 */
public record Job(
        UUID id,
        UUID tenantId,
        JobState state,
        @Nullable String stage,
        double progress,
        UUID modelId,
        UUID datasetId,
        @Nullable UUID evaluationDatasetId,
        @Nullable UUID fromJobId,
        JobOptions options,
        @Nullable String idempotencyKey,
        int attempts,
        @Nullable String leaseOwner,
        @Nullable Instant leaseExpiresAt,
        boolean cancelRequested,
        @Nullable Instant notBefore,
        @Nullable Integer batchDone,
        @Nullable Integer batchTotal,
        Map<String, Double> timings,
        @Nullable JobResult result,
        @Nullable JobError error,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        Instant createdAt,
        Instant updatedAt) {
    public Job {
        timings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(timings));
    }
}
