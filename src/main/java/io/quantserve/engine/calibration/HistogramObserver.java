package io.quantserve.engine.calibration;

/**
 * An observer that streams values into a {@link StreamingHistogram} and chooses its range from the histogram at
 * the end. The state is bounded ({@link #MAX_RETAINED_BINS} counters at most) and, since the histogram's counts
 * depend only on the multiset of values seen, the range is identical however the values are split into batches.
 */
public abstract sealed class HistogramObserver implements ActivationObserver
        permits IfmrObserver, HfmgObserver, PercentileObserver, KlObserver {

    /** The most counters one observer ever holds (about 2^18.3: 1024 per binary octave per sign). */
    public static final long MAX_RETAINED_BINS = StreamingHistogram.MAX_RETAINED_BINS;

    private final StreamingHistogram histogram = new StreamingHistogram();

    HistogramObserver() {}

    @Override
    public final void accept(float[] values) {
        histogram.accept(values);
    }

    @Override
    public final ClipRange range() {
        if (histogram.count() == 0) {
            return new ClipRange(0f, 0f); // nothing seen: an empty tensor in every batch
        }
        return choose(histogram);
    }

    /** The counters this observer holds now: constant in the number of values, at most {@link #MAX_RETAINED_BINS}. */
    public final long retainedBins() {
        return histogram.retainedBins();
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
