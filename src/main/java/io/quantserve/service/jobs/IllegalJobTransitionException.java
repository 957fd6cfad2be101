package io.quantserve.service.jobs;

/** A state change the {@link JobState} table does not allow; the message names the job and its current state. */
public final class IllegalJobTransitionException extends RuntimeException {
    private final JobState current;
    private final JobState wanted;

    public IllegalJobTransitionException(Object job, JobState current, JobState wanted) {
        super("job '" + job + "' is " + current + " and cannot become " + wanted
                + (current.isTerminal() ? " (" + current + " is a final state)" : ""));
        this.current = current;
        this.wanted = wanted;
    }

    /** The job's state when the change was attempted. */
    public JobState current() {
        return current;
    }

    public JobState wanted() {
        return wanted;
    }
}
