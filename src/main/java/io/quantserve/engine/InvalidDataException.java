package io.quantserve.engine;

/** Calibration or evaluation data is unreadable or does not fit the model (shape, dtype, NaN/inf, missing input). */
public final class InvalidDataException extends QuantServeException {
    public InvalidDataException(String message) {
        super("invalid-data", message);
    }

    public InvalidDataException(String message, Throwable cause) {
        super("invalid-data", message, cause);
    }
}
