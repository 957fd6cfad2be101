package io.quantserve.engine.calibration;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The raw statistics of one observed tensor: exact counts of float values on a fixed, data-independent grid, plus
 * the exact min, max and number of values. Every range algorithm ({@link ActivationObserver}) computes its clip
 * range from this one object, so one calibration pass serves any algorithm, and {@link StatisticsFile} persists it.
 * The bin of {@code x} is the bin of {@code x} is the sign of {@code x}
 * plus the top {@link #MANTISSA_BITS} mantissa bits and the exponent of {@code |x|}, read straight from the IEEE-754
 * bit pattern. Every binary octave {@code [2^e, 2^(e+1))} is split into {@code 2^MANTISSA_BITS} equal bins, so a
 * bin's width is at most {@code 2^-MANTISSA_BITS ≈ 0.098 %} of the values in it. Values with {@code |x| <}
 * {@link #ZERO_LIMIT} share one bin around zero (they are far below any INT8 step that ActivationFactors does not
 * replace by 1.0).
 *
 * <p>Because the grid never moves and a count is an integer sum, the state after a stream of values depends only on
 * the multiset of values: it is the same for any split into {@link #accept} calls and any order. Blocks of {@code
 * 2^MANTISSA_BITS} counters are allocated per (sign, octave) the first time a value lands there (the zero bin has a
 * block of its own per sign); there are at most {@link #MAX_RETAINED_BINS} counters, however many values are
 * accepted.
 *
 * <p>Not thread-safe. Once calibration is over the histogram is only read.
 */
public final class StreamingHistogram {
    /** Mantissa bits kept per bin: 1024 bins per octave. */
    static final int MANTISSA_BITS = 10;

    /** Values with {@code |x|} below this ({@code 2^-32}) fall into the zero bin. */
    static final float ZERO_LIMIT = 0x1p-32f;

    private static final int SHIFT = 23 - MANTISSA_BITS;
    private static final int BLOCK = 1 << MANTISSA_BITS;

    /** Counters per block: one binary octave of one sign. */
    static final int BLOCK_SIZE = BLOCK;

    private static final int INFINITY_BITS = 0x7f800000;
    /**
     * {@code slot = max((|x| bits >>> SHIFT) − SLOT_BASE, ZERO_SLOT)}: slots from {@code BLOCK} on are the bins from
     * 2^-32 up, one block per octave; every smaller magnitude lands in {@code ZERO_SLOT}, the last slot of block 0.
     */
    private static final int SLOT_BASE = (Float.floatToRawIntBits(ZERO_LIMIT) >>> SHIFT) - BLOCK;

    private static final int ZERO_SLOT = BLOCK - 1;
    /** Blocks per sign: enough for the slot of the largest finite float. */
    private static final int BLOCKS = ((((INFINITY_BITS - 1) >>> SHIFT) - SLOT_BASE) >>> MANTISSA_BITS) + 1;

    /** Number of blocks of both signs: block indices are {@code [0, BLOCK_COUNT)}. */
    static final int BLOCK_COUNT = 2 * BLOCKS;

    /** Upper bound on the counters one histogram allocates: every block of both signs. */
    public static final long MAX_RETAINED_BINS = (long) BLOCK_COUNT * BLOCK;

    /** Blocks of counters: {@code [0, BLOCKS)} for x ≥ +0, {@code [BLOCKS, 2·BLOCKS)} for x ≤ −0; null until used. */
    private final long[][] blocks;

    private long count;
    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;

    /** An empty histogram. */
    public StreamingHistogram() {
        blocks = new long[BLOCK_COUNT][];
    }

    /**
     * A histogram restored from its parts ({@link StatisticsFile}); the caller has checked that they are consistent.
     *
     * @param blocks {@link #BLOCK_COUNT} entries, each null or {@link #BLOCK_SIZE} counters; taken over, not copied
     */
    StreamingHistogram(long[][] blocks, long count, float min, float max) {
        if (blocks.length != BLOCK_COUNT) {
            throw new IllegalArgumentException(blocks.length + " blocks, expected " + BLOCK_COUNT);
        }
        this.blocks = blocks;
        this.count = count;
        this.min = min;
        this.max = max;
    }

    /**
     * Counts {@code values}.
     *
     * @throws IllegalArgumentException on NaN or infinity (the calibrator reports them as the layer's error)
     */
    public void accept(float[] values) {
        accept(values, values.length);
    }

    /**
     * Counts the first {@code length} of {@code values} (a caller streaming a large tensor through a reused chunk).
     *
     * @throws IllegalArgumentException on NaN or infinity (the calibrator reports them as the layer's error)
     */
    public void accept(float[] values, int length) {
        float lo = min;
        float hi = max;
        long[][] all = blocks;
        long negativeZeros = counter(BLOCKS, ZERO_SLOT);
        long positiveZeros = counter(0, ZERO_SLOT);
        for (int i = 0; i < length; i++) {
            float v = values[i];
            int bits = Float.floatToRawIntBits(v);
            int abs = bits & 0x7fffffff;
            if (abs >= INFINITY_BITS) {
                throw new IllegalArgumentException("non-finite value " + v + " given to a histogram");
            }
            // Plain comparisons, not Math.min/max: the extremes seldom move, so these are well-predicted branches
            // instead of a dependency chain through every value (about 15 % of the loop). Signed zeros compare equal
            // here and are settled after the loop.
            if (v < lo) lo = v;
            if (v > hi) hi = v;
            // Branch-free: the sign picks the half, tiny magnitudes clamp to the zero slot.
            int slot = Math.max((abs >>> SHIFT) - SLOT_BASE, ZERO_SLOT);
            int b = (bits >>> 31) * BLOCKS + (slot >>> MANTISSA_BITS);
            long[] block = all[b];
            if (block == null) {
                block = new long[BLOCK];
                all[b] = block;
            }
            block[slot & (BLOCK - 1)]++;
        }
        // A zero extreme takes the sign the order −0 < +0 gives it: a −0 counted now lowers a +0 minimum, a +0 raises
        // a −0 maximum. (A zero-slot value that is not ±0 is nonzero and would itself be the extreme.)
        if (lo == 0f && counter(BLOCKS, ZERO_SLOT) > negativeZeros) lo = -0f;
        if (hi == 0f && counter(0, ZERO_SLOT) > positiveZeros) hi = 0f;
        min = lo;
        max = hi;
        count += length;
    }

    /** Number of values accepted. */
    public long count() {
        return count;
    }

    /**
     * The smallest value accepted (exact; {@code −0} below {@code +0}, so the result depends only on the multiset of
     * values); +inf before any.
     */
    public float min() {
        return min;
    }

    /** The largest value accepted (exact; {@code +0} above {@code −0}); −inf before any. */
    public float max() {
        return max;
    }

    /**
     * Counters currently allocated: {@link #BLOCK_SIZE} per (sign, octave) touched, never above {@link
     * #MAX_RETAINED_BINS}, however many values were accepted.
     */
    public long retainedBins() {
        long allocated = 0;
        for (long[] block : blocks) {
            if (block != null) allocated++;
        }
        return allocated * BLOCK;
    }

    /**
     * The non-empty bins of the signed values in ascending order, each bin's interval clipped to the exact
     * {@code [min, max]} seen (so the outermost bins end at the true extremes and constant data gives one point bin).
     */
    HistogramBins signed() {
        BinList out = new BinList();
        if (count == 0) return out.build();
        for (int slot = BLOCKS * BLOCK - 1; slot >= BLOCK; slot--) {
            long c = counter(BLOCKS, slot);
            if (c > 0) out.add(Math.max(-upperEdge(slot), min), Math.min(-lowerEdge(slot), max), c);
        }
        long zero = counter(0, ZERO_SLOT) + counter(BLOCKS, ZERO_SLOT);
        if (zero > 0) out.add(Math.max(-(double) ZERO_LIMIT, min), Math.min(ZERO_LIMIT, max), zero);
        for (int slot = BLOCK; slot < BLOCKS * BLOCK; slot++) {
            long c = counter(0, slot);
            if (c > 0) out.add(Math.max(lowerEdge(slot), min), Math.min(upperEdge(slot), max), c);
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
        long zero = counter(0, ZERO_SLOT) + counter(BLOCKS, ZERO_SLOT);
        if (zero > 0) {
            double a = Math.max(-(double) ZERO_LIMIT, min);
            double b = Math.min(ZERO_LIMIT, max);
            double lo = a >= 0 ? a : b <= 0 ? -b : 0;
            out.add(lo, Math.max(Math.abs(a), Math.abs(b)), zero);
        }
        for (int slot = BLOCK; slot < BLOCKS * BLOCK; slot++) {
            long p = counter(0, slot);
            long n = counter(BLOCKS, slot);
            if (p == 0 && n == 0) continue;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            if (p > 0) {
                lo = Math.max(lowerEdge(slot), min);
                hi = Math.min(upperEdge(slot), max);
            }
            if (n > 0) {
                lo = Math.min(lo, -Math.min(-lowerEdge(slot), max));
                hi = Math.max(hi, -Math.max(-upperEdge(slot), min));
            }
            out.add(lo, hi, p + n);
        }
        return out.build();
    }

    /** Block {@code index} of {@code [0, BLOCK_COUNT)}: null when no value landed there. Read-only for callers. */
    long @Nullable [] block(int index) {
        return blocks[index];
    }

    /** Index of the counter (block · {@link #BLOCK_SIZE} + position) that counts the finite value {@code v}. */
    static int counterIndex(float v) {
        int bits = Float.floatToRawIntBits(v);
        int slot = Math.max(((bits & 0x7fffffff) >>> SHIFT) - SLOT_BASE, ZERO_SLOT);
        return ((bits >>> 31) * BLOCKS + (slot >>> MANTISSA_BITS)) * BLOCK + (slot & (BLOCK - 1));
    }

    /** The counter of {@code slot} in the half starting at block {@code half}; 0 where no block was allocated. */
    private long counter(int half, int slot) {
        long[] block = blocks[half + (slot >>> MANTISSA_BITS)];
        return block == null ? 0 : block[slot & (BLOCK - 1)];
    }

    /** Lower edge of {@code |x|} for a slot from {@code BLOCK} on (an exact float). */
    private static double lowerEdge(int slot) {
        return Float.intBitsToFloat((slot + SLOT_BASE) << SHIFT);
    }

    /** Upper edge of {@code |x|} for a slot from {@code BLOCK} on (an exact float; +inf above the largest float). */
    private static double upperEdge(int slot) {
        return Float.intBitsToFloat((slot + SLOT_BASE + 1) << SHIFT);
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
