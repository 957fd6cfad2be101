package io.quantserve.engine.calibration;

/**
 * A range algorithm: chooses the clip range of one quantized layer input from the statistics of every value that
 * input took during calibration ({@link StreamingHistogram}: fine histogram, exact min/max and count). Observers hold
 * no data of their own, so one calibration pass fills one histogram per tensor that every algorithm reads, and
 * stored statistics can be re-read with another algorithm or other parameters without a new forward pass. Since
 * the statistics depend only on the multiset of values, so does the range: it is the same however the values were
 * split into batches.
 */
public interface ActivationObserver {
    /**
     * The clip range {@code [min, max]} chosen from {@code statistics}; {@code [0, 0]} when they hold no value. The
     * caller extends it to contain 0.
     */
    ClipRange range(StreamingHistogram statistics);
}
