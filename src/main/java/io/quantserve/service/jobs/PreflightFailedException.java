package io.quantserve.service.jobs;

import java.util.List;

/**
 * A job was created with {@code "preflight": true} and its preflight found violations; answered 422 with the first
 * violation's code and every violation listed. No job was created.
 */
public final class PreflightFailedException extends RuntimeException {
    private final List<PreflightReport.Violation> violations;

    public PreflightFailedException(List<PreflightReport.Violation> violations) {
        super(String.join(
                "; ",
                violations.stream().map(v -> v.field() + ": " + v.message()).toList()));
        this.violations = List.copyOf(violations);
    }

    /** At least one. */
    public List<PreflightReport.Violation> violations() {
        return violations;
    }
}
