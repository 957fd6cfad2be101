package io.quantserve.service.jobs;

import java.util.UUID;

/**
 * A job request names a model, dataset or job the caller's tenant does not have (another tenant's included); answered
 * 422 {@value #CODE} naming the field.
 */
public final class UnknownReferenceException extends RuntimeException {
    /** The problem code. */
    public static final String CODE = "unknown-reference";

    private final String field;

    public UnknownReferenceException(String field, String kind, UUID id) {
        super(field + ": " + kind + " '" + id + "' does not exist");
        this.field = field;
    }

    /** The request field at fault ({@code model_id}, {@code dataset_id}, …). */
    public String field() {
        return field;
    }
}
