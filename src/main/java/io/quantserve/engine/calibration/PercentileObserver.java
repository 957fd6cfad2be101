package io.quantserve.engine.calibration;

/**
 * Clips at a percentile of the data. Symmetric layers: the magnitude {@code t} at the {@code percentile} position
 * of the sorted {@code |x|}, giving {@code [−t, t]} within the data. Asymmetric layers: each tail on its own, the
 * values at the {@code percentile} position from the top and from the bottom (the ranks of {@link Ranks}). Values
 * are read from the streaming histogram, so each bound is within one bin ({@code 2^-10} relative) of the exact one.
 */
public final class PercentileObserver extends HistogramObserver {
    private final double percentile;
    private final boolean asymmetric;

    /**
     * @param percentile fraction of the values kept inside each clip bound, in (0.5, 1]
     * @param asymmetric whether the layer's input is quantized with an offset
     */
    public PercentileObserver(double percentile, boolean asymmetric) {
        if (!(percentile > 0.5 && percentile <= 1)) {
            throw new IllegalArgumentException("percentile must lie in (0.5, 1], got " + percentile);
        }
        this.percentile = percentile;
        this.asymmetric = asymmetric;
    }

    @Override
    ClipRange choose(StreamingHistogram histogram) {
        long n = histogram.count();
        if (asymmetric) {
            HistogramBins bins = histogram.signed();
            double lower = bins.valueAtRank(Ranks.lower(percentile, n));
            double upper = bins.valueAtRank(Ranks.upper(percentile, n));
            return new ClipRange((float) lower, (float) upper);
        }
        double t = histogram.magnitudes().valueAtRank(Ranks.upper(percentile, n));
        return symmetric(t, histogram.min(), histogram.max());
    }
}
