package io.quantserve.engine.calibration;

import java.util.Arrays;

/**
 * The exact min/max of every channel of a tensor, streamed: O(channels) state, independent of batching. DMQ
 * balancing reads {@link #absMax()}, the largest magnitude per channel; {@link #range()} is the min/max over all
 * channels, as {@link MinMaxObserver} gives it.
 *
 * <p>The channel axis is counted from the end ({@code -1} the last axis), so it stays right for inputs with extra
 * leading axes (MatMul inputs {@code [B, S, K]}, or {@code [N, C, H, W]} for a convolution with axis {@code -3}).
 */
public final class ChannelRangeObserver implements CalibrationSink {
    private final int axisFromEnd;
    private final float[] min;
    private final float[] max;

    /**
     * @param channels length of the channel axis, &ge; 1
     * @param axisFromEnd the channel axis counted from the end, &le; -1
     */
    public ChannelRangeObserver(int channels, int axisFromEnd) {
        if (channels < 1) throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        if (axisFromEnd > -1) throw new IllegalArgumentException("axisFromEnd must be <= -1, got " + axisFromEnd);
        this.axisFromEnd = axisFromEnd;
        this.min = new float[channels];
        this.max = new float[channels];
        Arrays.fill(min, Float.POSITIVE_INFINITY);
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
    }

    /**
     * @throws IllegalArgumentException when the shape has no channel axis of the expected length or does not match
     *     the number of values
     */
    @Override
    public void accept(long[] shape, float[] values) {
        int axis = shape.length + axisFromEnd;
        int channels = min.length;
        if (axis < 0 || shape[axis] != channels) {
            throw new IllegalArgumentException("values of shape " + Arrays.toString(shape) + " have no axis "
                    + axisFromEnd + " of " + channels + " channels");
        }
        long outer = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        long inner = 1;
        for (int i = axis + 1; i < shape.length; i++) inner *= shape[i];
        if (outer * channels * inner != values.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " does not hold " + values.length + " values");
        }
        int n = (int) inner;
        int at = 0;
        for (long o = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                float lo = min[c];
                float hi = max[c];
                for (int end = at + n; at < end; at++) {
                    float v = values[at];
                    if (v < lo) lo = v;
                    if (v > hi) hi = v;
                }
                min[c] = lo;
                max[c] = hi;
            }
        }
    }

    /** The min/max over all channels, as {@link MinMaxObserver} gives it; {@code [0, 0]} when nothing was seen. */
    public ClipRange range() {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < min.length; c++) {
            lo = Math.min(lo, min[c]);
            hi = Math.max(hi, max[c]);
        }
        return lo > hi ? new ClipRange(0f, 0f) : new ClipRange(lo, hi);
    }

    /** {@code max|x|} of each channel; 0 for a channel that held no value. */
    public float[] absMax() {
        float[] out = new float[min.length];
        for (int c = 0; c < out.length; c++) {
            if (min[c] <= max[c]) out[c] = Math.max(Math.abs(min[c]), Math.abs(max[c]));
        }
        return out;
    }
}
