package io.quantserve.service.worker;

import io.quantserve.service.jobs.Claim;
import io.quantserve.service.jobs.JobQueue;
import io.quantserve.service.jobs.JobState;
import io.quantserve.service.observability.JobLogContext;
import io.quantserve.service.observability.JobMetrics;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One worker: claims a job under its own id and runs it to the end of the attempt. The pool runs one per thread;
 * tests run one directly, with a clock of their own. The claim and the attempt are timed ({@link JobMetrics}), and
 * the attempt runs with the job in the log context ({@link JobLogContext}).
 *
 * @param id the lease owner written into claimed rows, unique among all workers of all processes
 */
record Worker(String id, JobQueue queue, JobExecution execution, JobMetrics metrics) {

    /**
     * Claims the oldest claimable job and runs it.
     *
     * @param running told the attempt's progress while it runs, and null afterwards (for heartbeats)
     * @return the state the attempt left the job in (RUNNING when the lease was lost), or empty when nothing was
     *     claimable
     */
    Optional<JobState> runOnce(Consumer<@Nullable AttemptProgress> running) {
        long claiming = System.nanoTime();
        Optional<Claim> claim = queue.claim(id);
        metrics.claim(System.nanoTime() - claiming, claim.isPresent());
        return claim.map(c -> run(c, running));
    }

    private JobState run(Claim claim, Consumer<@Nullable AttemptProgress> running) {
        long started = System.nanoTime();
        AtomicReference<@Nullable AttemptProgress> attempt = new AtomicReference<>();
        JobState state;
        try (JobLogContext context = JobLogContext.open(claim.jobId(), claim.tenantId(), claim.attempt())) {
            state = execution.run(claim, p -> {
                if (p != null) attempt.set(p);
                running.accept(p);
            });
        }
        AttemptProgress p = attempt.get();
        metrics.attempt(outcome(state, p != null && p.handBackRequested()), System.nanoTime() - started);
        return state;
    }

    private static String outcome(JobState state, boolean handedBack) {
        return switch (state) {
            case SUCCEEDED -> "succeeded";
            case FAILED -> "failed";
            case CANCELLED -> "cancelled";
            case QUEUED -> handedBack ? "handed_back" : "requeued";
            case RUNNING -> "lease_lost";
        };
    }
}
