package io.quantserve.engine;

/**
 * Base of every failure the engine reports to its callers. Each subclass carries a stable, machine-readable
 * {@link #code()} (used by the CLI's exit report and the service's problem+json {@code type}) and a message
 * meant for the user: it names the layer, input or key at fault and, where there is one, the remedy.
 */
public class QuantServeException extends RuntimeException {
    private final String code;

    public QuantServeException(String code, String message) {
        super(message);
        this.code = code;
    }

    public QuantServeException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** A short kebab-case identifier that never changes once published, e.g. {@code invalid-model}. */
    public String code() {
        return code;
    }
}
