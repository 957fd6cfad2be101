package io.quantserve.engine;

/** The ONNX model cannot be read, is structurally invalid, or uses something the engine refuses. */
public final class InvalidModelException extends QuantServeException {
    public InvalidModelException(String message) {
        super("invalid-model", message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super("invalid-model", message, cause);
    }
}
