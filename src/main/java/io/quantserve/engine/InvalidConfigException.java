package io.quantserve.engine;

/** A quantization config or record file is malformed; the message names the key and the layer. */
public final class InvalidConfigException extends QuantServeException {
    public InvalidConfigException(String message) {
        super("invalid-config", message);
    }

    public InvalidConfigException(String message, Throwable cause) {
        super("invalid-config", message, cause);
    }
}
