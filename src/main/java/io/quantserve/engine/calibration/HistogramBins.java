package io.quantserve.engine.calibration;

/**
 * A read-only snapshot of the non-empty bins of a {@link StreamingHistogram}, in ascending order. Bin {@code i}
 * holds {@code count(i)} values in {@code [lo(i), hi(i)]}; where a statistic needs positions inside a bin, the
 * values are taken as spread uniformly over that interval (a point bin, {@code lo == hi}, is exact).
 */
final class HistogramBins {
    private final double[] lo;
    private final double[] hi;
    private final long[] counts;
    private final long total;

    HistogramBins(double[] lo, double[] hi, long[] counts) {
        this.lo = lo;
        this.hi = hi;
        this.counts = counts;
        long t = 0;
        for (long c : counts) t += c;
        this.total = t;
    }

    int size() {
        return counts.length;
    }

    double lo(int i) {
        return lo[i];
    }

    double hi(int i) {
        return hi[i];
    }

    long count(int i) {
        return counts[i];
    }

    /** Number of values in all bins. */
    long total() {
        return total;
    }

    /** The smallest value (the first bin's lower edge, exact for signed bins); 0 when empty. */
    double min() {
        return counts.length == 0 ? 0 : lo[0];
    }

    /** The largest value (the last bin's upper edge, exact); 0 when empty. */
    double max() {
        return counts.length == 0 ? 0 : hi[counts.length - 1];
    }

    /**
     * The value of rank {@code k} (1-based) among the sorted values. Rank 1 and rank {@link #total()} give the outer
     * edges; any other rank is interpolated inside its bin as if the bin's {@code c} values sat at {@code lo + (j −
     * ½)/c · (hi − lo)}, {@code j = 1..c}. The result lies in the bin that holds the true value, so its error is at
     * most that bin's width.
     */
    double valueAtRank(long k) {
        if (k < 1 || k > total) {
            throw new IllegalArgumentException("rank " + k + " outside [1, " + total + "]");
        }
        if (k == 1) return min();
        if (k == total) return max();
        long before = 0;
        for (int i = 0; i < counts.length; i++) {
            long c = counts[i];
            if (k <= before + c) {
                return lo[i] + (k - before - 0.5) / c * (hi[i] - lo[i]);
            }
            before += c;
        }
        throw new IllegalStateException("rank " + k + " not found among " + total + " values");
    }

    /**
     * Count, sum and sum of squares of the values strictly below each point.
     *
     * @param points ascending (not necessarily distinct)
     */
    Cumulative below(double[] points) {
        double[] n = new double[points.length];
        double[] s1 = new double[points.length];
        double[] s2 = new double[points.length];
        int b = 0;
        double cn = 0;
        double cs1 = 0;
        double cs2 = 0;
        double previous = Double.NEGATIVE_INFINITY;
        for (int p = 0; p < points.length; p++) {
            double t = points[p];
            if (!(t >= previous)) throw new IllegalArgumentException("points are not ascending at index " + p);
            previous = t;
            while (b < counts.length && (hi[b] < t || (hi[b] == t && lo[b] < hi[b]))) {
                double c = counts[b];
                cn += c;
                cs1 += c * (lo[b] + hi[b]) / 2;
                cs2 += c * meanSquare(lo[b], hi[b]);
                b++;
            }
            double pn = cn;
            double ps1 = cs1;
            double ps2 = cs2;
            if (b < counts.length && lo[b] < t && t < hi[b]) {
                double part = counts[b] * (t - lo[b]) / (hi[b] - lo[b]);
                pn += part;
                ps1 += part * (lo[b] + t) / 2;
                ps2 += part * meanSquare(lo[b], t);
            }
            n[p] = pn;
            s1[p] = ps1;
            s2[p] = ps2;
        }
        return new Cumulative(n, s1, s2);
    }

    /**
     * Count, sum and sum of squares of the values strictly below {@code t}, into {@code out[0..2]}: the same
     * quantities as {@link #below} at one point, found by binary search over prefix sums (O(log bins) after a
     * one-time O(bins) pass).
     */
    void momentsBelow(double t, double[] out) {
        if (prefixCount == null) buildPrefix();
        int lowIndex = 0;
        int highIndex = counts.length; // first bin not entirely below t
        while (lowIndex < highIndex) {
            int mid = (lowIndex + highIndex) >>> 1;
            if (hi[mid] < t || (hi[mid] == t && lo[mid] < hi[mid])) lowIndex = mid + 1;
            else highIndex = mid;
        }
        int b = lowIndex;
        double n = prefixCount[b];
        double s1 = prefixSum[b];
        double s2 = prefixSumOfSquares[b];
        if (b < counts.length && lo[b] < t && t < hi[b]) {
            double part = counts[b] * (t - lo[b]) / (hi[b] - lo[b]);
            n += part;
            s1 += part * (lo[b] + t) / 2;
            s2 += part * meanSquare(lo[b], t);
        }
        out[0] = n;
        out[1] = s1;
        out[2] = s2;
    }

    private double[] prefixCount;
    private double[] prefixSum;
    private double[] prefixSumOfSquares;

    private void buildPrefix() {
        int size = counts.length;
        double[] n = new double[size + 1];
        double[] s1 = new double[size + 1];
        double[] s2 = new double[size + 1];
        for (int i = 0; i < size; i++) {
            double c = counts[i];
            n[i + 1] = n[i] + c;
            s1[i + 1] = s1[i] + c * (lo[i] + hi[i]) / 2;
            s2[i + 1] = s2[i] + c * meanSquare(lo[i], hi[i]);
        }
        prefixSum = s1;
        prefixSumOfSquares = s2;
        prefixCount = n;
    }

    /** Sum and sum of squares of all values, as {@code {count, sum, sumOfSquares}}. */
    double[] totals() {
        if (prefixCount == null) buildPrefix();
        int size = counts.length;
        return new double[] {prefixCount[size], prefixSum[size], prefixSumOfSquares[size]};
    }

    /** Mean of {@code x²} for {@code x} uniform on {@code [a, b]}. */
    private static double meanSquare(double a, double b) {
        return (a * a + a * b + b * b) / 3;
    }

    /**
     * Moments of the values below a set of points, index by index.
     *
     * @param count how many values lie below (fractional where a point cuts a bin)
     * @param sum their sum
     * @param sumOfSquares the sum of their squares
     */
    record Cumulative(double[] count, double[] sum, double[] sumOfSquares) {}
}
