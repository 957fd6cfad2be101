package io.quantserve.engine.calibration;

/**
 * AMCT's IFMR on a fine streaming histogram. The initial clip values are the values at the {@code maxPercentile}
 * position of the sorted data and at the {@code minPercentile} position from below ({@link Ranks}); {@code clipMax}
 * is raised to at least 0 and {@code clipMin} lowered to at most 0, as AMCT does. Then every ratio {@code r} of the
 * {@link Search} is tried on the candidate range {@code [clipMin·r, clipMax·r]} and the one whose INT8 grid ({@link
 * Int8Grid}, symmetric or asymmetric as the layer is quantized) gives the smallest {@code Σ(x − x̂)²} wins; the first
 * such ratio on a tie. Candidates beyond the float range are held at {@code ±Float.MAX_VALUE}.
 *
 * <p>Both bounds are scaled. AMCT's open code scales only the upper bound, its documentation says both; scaling
 * both treats a negative tail like a positive one (pre-activation and normalisation outputs carry outliers on either
 * side), whereas with the upper bound alone the lower clip stays at the raw percentile, which for the default
 * 0.999999 is practically the minimum. For symmetric layers the two readings coincide ({@code scale = max(|clipMin|,
 * |clipMax|)·r/127}).
 *
 * <p>Accuracy against IFMR on the kept values: a percentile value lies in the same histogram bin as the true one, so
 * it is off by at most one bin width, {@code 2^-10 ≈ 0.1 %} of its magnitude (or {@code 2^-31} absolute near 0). The
 * MSE of a candidate is integrated exactly under a uniform density within each bin; with prefix moments over the
 * bins a candidate costs O(256 levels · log bins) ({@link Int8Grid#squaredError}).
 */
public final class IfmrObserver extends HistogramObserver {
    private final Search search;
    private final boolean asymmetric;

    /**
     * @param search the percentiles and the ratios to try
     * @param asymmetric whether the layer's input is quantized with an offset
     */
    public IfmrObserver(Search search, boolean asymmetric) {
        this.search = search;
        this.asymmetric = asymmetric;
    }

    @Override
    ClipRange choose(StreamingHistogram histogram) {
        HistogramBins bins = histogram.signed();
        long n = bins.total();
        double upper = bins.valueAtRank(Ranks.upper(search.maxPercentile(), n));
        double lower = bins.valueAtRank(Ranks.lower(search.minPercentile(), n));
        double clipMax = upper > 0 ? upper : 0;
        double clipMin = lower < 0 ? lower : 0;
        ClipRange best = null;
        double bestError = Double.POSITIVE_INFINITY;
        for (int i = 0; i < search.candidates(); i++) {
            double r = search.ratio(i);
            ClipRange candidate = new ClipRange(
                    (float) Math.max(clipMin * r, -Float.MAX_VALUE), (float) Math.min(clipMax * r, Float.MAX_VALUE));
            double error = Int8Grid.of(candidate, asymmetric).squaredError(bins);
            if (best == null || error < bestError) {
                best = candidate;
                bestError = error;
            }
        }
        return best;
    }

    /**
     * IFMR's parameters (AMCT's {@code max_percentile}, {@code min_percentile}, {@code search_range}, {@code
     * search_step}). The ratios are {@code start + i·step} for {@code i = 0, 1, …} below {@code end} (numpy's {@code
     * arange}, with a 1e-9 tolerance so that the default [0.7, 1.3) in steps of 0.01 gives AMCT's 60 ratios).
     *
     * @param maxPercentile fraction of values at or below the initial upper clip, in (0.5, 1]
     * @param minPercentile fraction of values at or above the initial lower clip, in (0.5, 1]
     * @param start first ratio, &gt; 0
     * @param end ratios stay below this, &gt; start
     * @param step ratio increment, &gt; 0
     */
    public record Search(double maxPercentile, double minPercentile, double start, double end, double step) {
        /** The most ratios one search tries. */
        public static final int MAX_CANDIDATES = 10_000;

        public Search {
            if (!(maxPercentile > 0.5 && maxPercentile <= 1 && minPercentile > 0.5 && minPercentile <= 1)) {
                throw new IllegalArgumentException(
                        "IFMR percentiles must lie in (0.5, 1]: " + maxPercentile + ", " + minPercentile);
            }
            if (!(start > 0 && start < end && Double.isFinite(end) && step > 0)) {
                throw new IllegalArgumentException(
                        "IFMR search needs 0 < start < end and step > 0: " + start + ", " + end + ", " + step);
            }
            if ((end - start) / step > MAX_CANDIDATES) {
                throw new IllegalArgumentException("IFMR search of step " + step + " over [" + start + ", " + end
                        + ") exceeds " + MAX_CANDIDATES + " ratios");
            }
        }

        /** Number of ratios tried, at least 1. */
        public int candidates() {
            return Math.max(1, (int) Math.ceil((end - start) / step - 1e-9));
        }

        /** The {@code i}-th ratio, {@code start + i·step}. */
        public double ratio(int i) {
            return start + i * step;
        }
    }
}
