package io.quantserve.engine.calibration;

/**
 * Streams the values one quantized layer input takes over the calibration batches and turns them into a clip
 * range. Implementations keep O(bins) state, never the values themselves, and must give the same result for the
 * same ordered values however they are split into calls.
 */
public interface ActivationObserver {
    /** Feeds one batch of values (any shape, flattened). Non-finite values are rejected by the caller. */
    void accept(float[] values);

    /**
     * Feeds one batch of values with the shape they came in (row-major); the calibrator calls this one. Observers
     * that need no shape (all per-tensor ones) keep the default, which drops it.
     */
    default void accept(long[] shape, float[] values) {
        accept(values);
    }

    /** The clip range {@code [min, max]} chosen from everything seen; extended to contain 0 by the caller. */
    ClipRange range();
}
