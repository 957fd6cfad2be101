package io.quantserve.engine;

/** ONNX Runtime refused or failed to run a model; the message says which model and which operation. */
public final class RuntimeFailureException extends QuantServeException {
    public RuntimeFailureException(String message, Throwable cause) {
        super("runtime-failure", message, cause);
    }
}
