package io.quantserve.service.jobs;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of a job, as one transition table:
 *
 * <pre>
 * QUEUED  → RUNNING    a worker claimed it
 * QUEUED  → CANCELLED  cancelled before any worker claimed it
 * RUNNING → SUCCEEDED  every artefact uploaded and published
 * RUNNING → FAILED     the engine refused the input, or the attempts ran out
 * RUNNING → CANCELLED  the worker saw the cancel request between two batches or stages
 * RUNNING → QUEUED     the lease expired (dead worker) or a transient failure, attempts left; or the worker's
 *                      process is shutting down and handed the job back (the attempt does not count)
 * </pre>
 *
 * SUCCEEDED, FAILED and CANCELLED are terminal. Every state change of the service checks this table first.
 */
public enum JobState {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    private static final Map<JobState, Set<JobState>> NEXT = Map.of(
            QUEUED, EnumSet.of(RUNNING, CANCELLED),
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED, QUEUED),
            SUCCEEDED, EnumSet.noneOf(JobState.class),
            FAILED, EnumSet.noneOf(JobState.class),
            CANCELLED, EnumSet.noneOf(JobState.class));

    /** True when the table allows this state to become {@code next}. */
    public boolean canBecome(JobState next) {
        return NEXT.get(this).contains(next);
    }

    /** True for SUCCEEDED, FAILED and CANCELLED, which no transition leaves. */
    public boolean isTerminal() {
        return NEXT.get(this).isEmpty();
    }

    /**
     * Checks a transition against the table.
     *
     * @param job the job, named in the message
     * @throws IllegalJobTransitionException naming the job, this (current) state and {@code next} when the table does
     *     not allow it
     */
    public void requireTransition(Object job, JobState next) {
        if (!canBecome(next)) throw new IllegalJobTransitionException(job, this, next);
    }
}
