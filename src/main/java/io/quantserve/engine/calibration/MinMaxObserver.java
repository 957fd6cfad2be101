package io.quantserve.engine.calibration;

/** The plain min/max of everything seen: exact, O(1) state, independent of batching. */
public final class MinMaxObserver implements ActivationObserver {
    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;

    @Override
    public void accept(float[] values) {
        float lo = min;
        float hi = max;
        for (float v : values) {
            if (v < lo) lo = v;
            if (v > hi) hi = v;
        }
        min = lo;
        max = hi;
    }

    @Override
    public ClipRange range() {
        if (min > max) {
            return new ClipRange(0f, 0f); // nothing seen: an empty tensor in every batch
        }
        return new ClipRange(min, max);
    }
}
