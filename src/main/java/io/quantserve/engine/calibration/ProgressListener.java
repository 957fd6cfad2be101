package io.quantserve.engine.calibration;

/** Receives progress of a long run: named stages and calibration batches. Implementations must be cheap. */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {};

    /** A new stage starts, e.g. {@code calibrate}. */
    default void stage(String name) {}

    /** Batch {@code done} of {@code total} finished ({@code total} may be an upper bound). */
    default void batch(int done, int total) {}
}
