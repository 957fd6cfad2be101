package io.quantserve.service.jobs;

/**
 * The job is not in a state that has what was asked for (artefacts of an unfinished job, a re-export from a job that
 * did not succeed); answered 409 {@value #CODE} with the job's state in the message.
 */
public final class JobNotReadyException extends RuntimeException {
    /** The problem code. */
    public static final String CODE = "job-not-ready";

    public JobNotReadyException(String message) {
        super(message);
    }
}
