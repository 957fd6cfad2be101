package io.quantserve.engine.calibration;

import java.util.Arrays;

/**
 * Exact counts of float values on a fixed, data-independent grid: the bin of {@code x} is the sign of {@code x}
 * plus the top {@link #MANTISSA_BITS} mantissa bits and the exponent of {@code |x|}, read straight from the IEEE-754
 * bit pattern. Every binary octave {@code [2^e, 2^(e+1))} is split into {@code 2^MANTISSA_BITS} equal bins, so a
 * bin's width is at most {@code 2^-MANTISSA_BITS ≈ 0.098 %} of the values in it. Values with {@code |x| <}
 * {@link #ZERO_LIMIT} share one bin around zero (they are far below any INT8 step that ActivationFactors does not
 * replace by 1.0).
 *
 * <p>Because the grid never moves and a count is an integer sum, the state after a stream of values depends only on
 * the multiset of values: it is the same for any split into {@link #accept} calls and any order. Blocks of {@code
 * 2^MANTISSA_BITS} counters are allocated per (sign, octave) the first time a value lands there; there are at most
 * {@link #MAX_RETAINED_BINS} counters, however many values are accepted.
 */
final class StreamingHistogram {
    /** Mantissa bits kept per bin: 1024 bins per octave. */
    static final int MANTISSA_BITS = 10;

    /** Values with {@code |x|} below this ({@code 2^-32}) fall into the zero bin. */
    static final float ZERO_LIMIT = 0x1p-32f;

    private static final int SHIFT = 23 - MANTISSA_BITS;
    private static final int BLOCK = 1 << MANTISSA_BITS;
    private static final int ZERO_LIMIT_BITS = Float.floatToRawIntBits(ZERO_LIMIT);
    private static final int INFINITY_BITS = 0x7f800000;
    private static final int KEY_MIN = ZERO_LIMIT_BITS >>> SHIFT;
    private static final int BLOCKS = (((INFINITY_BITS - 1) >>> SHIFT) - KEY_MIN >>> MANTISSA_BITS) + 1;

    /** Upper bound on the counters one histogram allocates: both signs, every octave from 2^-32 up, the zero bin. */
    static final long MAX_RETAINED_BINS = 2L * BLOCKS * BLOCK + 1;

    private final long[][] positive = new long[BLOCKS][];
    private final long[][] negative = new long[BLOCKS][];
    private long zero;
    private long count;
    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;

    /**
     * Counts {@code values}.
     *
     * @throws IllegalArgumentException on NaN or infinity (the calibrator rejects them before they get here)
     */
    void accept(float[] values) {
        float lo = min;
        float hi = max;
        long zeros = 0;
        for (float v : values) {
            int bits = Float.floatToRawIntBits(v);
            int abs = bits & 0x7fffffff;
            if (abs >= INFINITY_BITS) {
                throw new IllegalArgumentException("non-finite value " + v + " given to a histogram");
            }
            if (v < lo) lo = v;
            if (v > hi) hi = v;
            if (abs < ZERO_LIMIT_BITS) {
                zeros++;
                continue;
            }
            int key = (abs >>> SHIFT) - KEY_MIN;
            long[][] side = bits < 0 ? negative : positive;
            long[] block = side[key >>> MANTISSA_BITS];
            if (block == null) {
                block = new long[BLOCK];
                side[key >>> MANTISSA_BITS] = block;
            }
            block[key & (BLOCK - 1)]++;
        }
        min = lo;
        max = hi;
        zero += zeros;
        count += values.length;
    }

    /** Number of values accepted. */
    long count() {
        return count;
    }

    /** The smallest value accepted (exact); +inf before any. */
    float min() {
        return min;
    }

    /** The largest value accepted (exact); −inf before any. */
    float max() {
        return max;
    }

    /** Counters currently allocated; never above {@link #MAX_RETAINED_BINS}. */
    long retainedBins() {
        long blocks = 0;
        for (int b = 0; b < BLOCKS; b++) {
            if (positive[b] != null) blocks++;
            if (negative[b] != null) blocks++;
        }
        return blocks * BLOCK + 1;
    }

    /**
     * The non-empty bins of the signed values in ascending order, each bin's interval clipped to the exact
     * {@code [min, max]} seen (so the outermost bins end at the true extremes and constant data gives one point bin).
     */
    HistogramBins signed() {
        BinList out = new BinList();
        if (count == 0) return out.build();
        for (int b = BLOCKS - 1; b >= 0; b--) {
            long[] block = negative[b];
            if (block == null) continue;
            for (int i = BLOCK - 1; i >= 0; i--) {
                if (block[i] == 0) continue;
                int key = b * BLOCK + i;
                out.add(Math.max(-upperEdge(key), min), Math.min(-lowerEdge(key), max), block[i]);
            }
        }
        if (zero > 0) out.add(Math.max(-(double) ZERO_LIMIT, min), Math.min(ZERO_LIMIT, max), zero);
        for (int b = 0; b < BLOCKS; b++) {
            long[] block = positive[b];
            if (block == null) continue;
            for (int i = 0; i < BLOCK; i++) {
                if (block[i] == 0) continue;
                int key = b * BLOCK + i;
                out.add(Math.max(lowerEdge(key), min), Math.min(upperEdge(key), max), block[i]);
            }
        }
        return out.build();
    }

    /**
     * The non-empty bins of {@code |x|} in ascending order: the two signed bins of the same magnitude merged, each
     * interval the hull of the magnitudes of their clipped signed intervals.
     */
    HistogramBins magnitudes() {
        BinList out = new BinList();
        if (count == 0) return out.build();
        if (zero > 0) {
            double a = Math.max(-(double) ZERO_LIMIT, min);
            double b = Math.min(ZERO_LIMIT, max);
            double lo = a >= 0 ? a : b <= 0 ? -b : 0;
            out.add(lo, Math.max(Math.abs(a), Math.abs(b)), zero);
        }
        for (int b = 0; b < BLOCKS; b++) {
            long[] pos = positive[b];
            long[] neg = negative[b];
            if (pos == null && neg == null) continue;
            for (int i = 0; i < BLOCK; i++) {
                long p = pos == null ? 0 : pos[i];
                long n = neg == null ? 0 : neg[i];
                if (p == 0 && n == 0) continue;
                int key = b * BLOCK + i;
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                if (p > 0) {
                    lo = Math.max(lowerEdge(key), min);
                    hi = Math.min(upperEdge(key), max);
                }
                if (n > 0) {
                    lo = Math.min(lo, -Math.min(-lowerEdge(key), max));
                    hi = Math.max(hi, -Math.max(-upperEdge(key), min));
                }
                out.add(lo, hi, p + n);
            }
        }
        return out.build();
    }

    private static double lowerEdge(int key) {
        return Float.intBitsToFloat((key + KEY_MIN) << SHIFT);
    }

    private static double upperEdge(int key) {
        return Float.intBitsToFloat((key + KEY_MIN + 1) << SHIFT);
    }

    /** Growable parallel arrays for building a {@link HistogramBins}. */
    private static final class BinList {
        private double[] lo = new double[256];
        private double[] hi = new double[256];
        private long[] counts = new long[256];
        private int size;

        void add(double a, double b, long c) {
            if (size == lo.length) {
                lo = Arrays.copyOf(lo, size * 2);
                hi = Arrays.copyOf(hi, size * 2);
                counts = Arrays.copyOf(counts, size * 2);
            }
            lo[size] = a;
            hi[size] = b;
            counts[size] = c;
            size++;
        }

        HistogramBins build() {
            return new HistogramBins(Arrays.copyOf(lo, size), Arrays.copyOf(hi, size), Arrays.copyOf(counts, size));
        }
    }
}
