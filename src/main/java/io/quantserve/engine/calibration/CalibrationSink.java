package io.quantserve.engine.calibration;

/**
 * Receives every batch of one observed tensor with its shape during a calibration pass, for statistics that the
 * per-tensor histogram cannot give (e.g. per-channel ranges for DMQ balancing). Implementations keep bounded
 * state and must give the same result however the same ordered values are split into batches.
 */
public interface CalibrationSink {
    /** One batch of values in row-major order with the shape they came in; non-finite values never arrive. */
    void accept(long[] shape, float[] values);
}
