package io.quantserve.service.jobs;

/**
 * An {@code Idempotency-Key} was sent again with a different request; answered 409 {@value #CODE}. The first
 * request's job is untouched.
 */
public final class IdempotencyConflictException extends RuntimeException {
    /** The problem code. */
    public static final String CODE = "idempotency-key-reused";

    public IdempotencyConflictException(String key, Object existingJob) {
        super("Idempotency-Key '" + key + "' was used for job '" + existingJob
                + "' with a different request; send a new key for a new job");
    }
}
