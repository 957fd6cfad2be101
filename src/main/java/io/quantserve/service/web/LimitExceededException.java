package io.quantserve.service.web;

import org.springframework.http.HttpStatus;

/**
 * A request is over one of the {@link LimitsProperties limits}; answered with {@code status} and the problem type
 * {@code code}. Thrown before anything is stored.
 */
public final class LimitExceededException extends RuntimeException {
    /** A dataset array or model input has more dimensions than allowed (422). */
    public static final String TENSOR_RANK = "tensor-rank-exceeded";
    /** A dataset array has more elements than allowed (413). */
    public static final String TENSOR_SIZE = "tensor-too-large";
    /** A dataset has more samples than allowed (413). */
    public static final String SAMPLES = "too-many-samples";
    /** The tenant has as many queued and running jobs as allowed (429). */
    public static final String JOBS = "too-many-jobs";

    private final HttpStatus status;
    private final String code;

    public LimitExceededException(HttpStatus status, String code, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
    }

    public HttpStatus status() {
        return status;
    }

    /** The problem type code. */
    public String code() {
        return code;
    }
}
