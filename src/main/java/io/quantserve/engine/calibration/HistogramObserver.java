package io.quantserve.engine.calibration;

/** An algorithm that chooses its range from the fine bins of a {@link StreamingHistogram}, not only its extremes. */
public abstract sealed class HistogramObserver implements ActivationObserver
        permits IfmrObserver, HfmgObserver, PercentileObserver, KlObserver {

    HistogramObserver() {}

    @Override
    public final ClipRange range(StreamingHistogram statistics) {
        if (statistics.count() == 0) {
            return new ClipRange(0f, 0f); // nothing seen: an empty tensor in every batch
        }
        return choose(statistics);
    }

    /** The range chosen from a histogram holding at least one value. */
    abstract ClipRange choose(StreamingHistogram histogram);

    /**
     * The symmetric clip range of magnitude {@code t} within the data: {@code [max(min(min, 0), −t), min(max(max, 0),
     * t)]}. It contains 0, and its larger magnitude is {@code t} whenever {@code t ≤ max|x|}, so a symmetric
     * quantizer built from it has {@code scale = t/127}.
     */
    static ClipRange symmetric(double t, double min, double max) {
        double lo = Math.max(Math.min(min, 0), -t);
        double hi = Math.min(Math.max(max, 0), t);
        return new ClipRange((float) lo, (float) hi);
    }
}
