package io.quantserve.service.worker;

import io.quantserve.service.jobs.Claim;
import io.quantserve.service.jobs.JobQueue;
import io.quantserve.service.jobs.JobState;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One worker: claims a job under its own id and runs it to the end of the attempt. The pool runs one per thread;
 * tests run one directly, with a clock of their own.
 *
 * @param id the lease owner written into claimed rows, unique among all workers of all processes
 */
record Worker(String id, JobQueue queue, JobExecution execution) {

    /**
     * Claims the oldest claimable job and runs it.
     *
     * @param running told the attempt's progress while it runs, and null afterwards (for heartbeats)
     * @return the state the attempt left the job in (RUNNING when the lease was lost), or empty when nothing was
     *     claimable
     */
    Optional<JobState> runOnce(Consumer<@Nullable AttemptProgress> running) {
        Optional<Claim> claim = queue.claim(id);
        return claim.map(c -> execution.run(c, running));
    }
}
