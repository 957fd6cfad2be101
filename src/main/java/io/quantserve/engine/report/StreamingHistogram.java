package io.quantserve.engine.report;

/**
 * A fixed number of equal bins over a range that grows to cover every value: it starts at a given range and, when
 * a value falls outside, doubles its width towards that value, merging bins pairwise so the bin edges stay edges.
 * O(bins) memory; the same values in the same order give the same bins.
 */
final class StreamingHistogram {
    /** Bins of every layer's histogram. */
    static final int BINS = 128;

    private double lo;
    private double hi;
    /** {@code BINS / (hi − lo)}: bins per unit, so that binning a value multiplies instead of divides. */
    private double binsPerUnit;

    private final long[] counts = new long[BINS];

    /** Starts over {@code [lo, hi]}; both finite, {@code lo < hi}. */
    StreamingHistogram(double lo, double hi) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(lo < hi)) {
            throw new IllegalArgumentException("histogram range [" + lo + ", " + hi + "] is not a finite interval");
        }
        this.lo = lo;
        this.hi = hi;
        this.binsPerUnit = BINS / (hi - lo);
    }

    /** Counts one finite value. */
    void add(double v) {
        while (v < lo) growDown();
        while (v > hi) growUp();
        // v ≥ lo here, so the cast truncates to the floor.
        int bin = (int) ((v - lo) * binsPerUnit);
        counts[Math.min(BINS - 1, Math.max(0, bin))]++;
    }

    /** Doubles the range below: the old bins, merged pairwise, become the upper half. */
    private void growDown() {
        int half = BINS / 2;
        for (int i = half - 1; i >= 0; i--) counts[half + i] = counts[2 * i] + counts[2 * i + 1];
        for (int i = 0; i < half; i++) counts[i] = 0;
        lo -= hi - lo;
        binsPerUnit = BINS / (hi - lo);
    }

    /** Doubles the range above: the old bins, merged pairwise, become the lower half. */
    private void growUp() {
        int half = BINS / 2;
        for (int i = 0; i < half; i++) counts[i] = counts[2 * i] + counts[2 * i + 1];
        for (int i = half; i < BINS; i++) counts[i] = 0;
        hi += hi - lo;
        binsPerUnit = BINS / (hi - lo);
    }

    QualityReport.Histogram result() {
        return new QualityReport.Histogram(ReportNumbers.rounded(lo), ReportNumbers.rounded(hi), counts);
    }
}
