package io.quantserve.engine.calibration;

/** Percentile positions in sorted data, the way AMCT's IFMR reads them off the cumulative distribution. */
final class Ranks {
    private Ranks() {}

    /**
     * The 1-based rank of the upper percentile {@code p} among {@code n} sorted values: the smallest {@code k} in
     * {@code [1, n]} with {@code k/n ≥ p} (the first position where the empirical CDF reaches {@code p}).
     */
    static long upper(double p, long n) {
        if (n < 1) throw new IllegalArgumentException("no values");
        long k = (long) Math.ceil(p * n);
        k = Math.max(1, Math.min(n, k));
        while (k > 1 && (double) (k - 1) / n >= p) k--;
        while (k < n && (double) k / n < p) k++;
        return k;
    }

    /** The 1-based rank of the lower percentile: {@code upper(p, n)} counted from the top, {@code n + 1 − upper}. */
    static long lower(double p, long n) {
        return n + 1 - upper(p, n);
    }
}
