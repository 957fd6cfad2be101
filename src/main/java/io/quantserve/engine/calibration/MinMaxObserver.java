package io.quantserve.engine.calibration;

/** The plain min/max of everything seen, read from the statistics' exact extremes. */
public final class MinMaxObserver implements ActivationObserver {
    @Override
    public ClipRange range(StreamingHistogram statistics) {
        if (statistics.count() == 0) {
            return new ClipRange(0f, 0f); // nothing seen: an empty tensor in every batch
        }
        return new ClipRange(statistics.min(), statistics.max());
    }
}
