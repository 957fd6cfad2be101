package io.quantserve.engine.calibration;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The raw statistics of one observed tensor: exact counts of float values on a fixed, data-independent grid, plus
 * the exact min, max and number of values. Every range algorithm ({@link ActivationObserver}) computes its clip
 * range from this one object, so one calibration pass serves any algorithm, and {@link StatisticsFile} persists it.
 * The bin of {@code x} is named by the sign of {@code x} plus the top {@link #MANTISSA_BITS} mantissa bits and the
 * exponent of {@code |x|}, read straight from the IEEE-754 bit pattern. Every binary octave {@code [2^e, 2^(e+1))} is
 * split into {@code 2^MANTISSA_BITS} equal bins, so a bin's width is at most {@code 2^-MANTISSA_BITS ≈ 0.098 %} of the
 * values in it. Values with {@code |x| <} {@link #ZERO_LIMIT} share one bin around zero (they are far below any INT8
 * step that ActivationFactors does not replace by 1.0).
 *
 * <p>Because the grid never moves and a count is an integer sum, the state after a stream of values depends only on
 * the multiset of values: it is the same for any split into {@link #accept} calls and any order. The totals are kept
 * in blocks of {@code 2^MANTISSA_BITS} counters per (sign, octave), allocated the first time a value lands there (the
 * zero bin has a block of its own per sign); there are at most {@link #MAX_RETAINED_BINS} of them, however many
 * values are accepted.
 *
 * <p>Counting is the calibration pass's main Java cost (every value of every observed tensor), so it runs in three
 * loops over each run of values, the first two integer operations only, which the JIT vectorises: a scan for the
 * extremes, finiteness and the octaves each sign reaches; one that computes each value's position among the pending
 * counters; one that increments them. The pending counters are {@code int}s (half the cache footprint of
 * {@code long}s) in one flat array, a window over the octaves each sign has reached so far (no per-value block
 * lookup), grown when a run reaches further. Values in the zero bin, the most frequent bin of most activations, go
 * to eight counters per sign in turn, so long runs of zeros do not wait on the same counter. Before the {@code int}s
 * could overflow, they are folded into the {@code long} totals, so counts stay exact for any number of values.
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

    private static final int ZERO_LIMIT_BITS = Float.floatToRawIntBits(ZERO_LIMIT);
    /**
     * {@code slot = max((|x| bits >>> SHIFT) − SLOT_BASE, ZERO_SLOT)}: slots from {@code BLOCK} on are the bins from
     * 2^-32 up, one block per octave; every smaller magnitude lands in {@code ZERO_SLOT}, the last slot of block 0.
     */
    private static final int SLOT_BASE = (ZERO_LIMIT_BITS >>> SHIFT) - BLOCK;

    private static final int ZERO_SLOT = BLOCK - 1;
    /** Blocks per sign: enough for the slot of the largest finite float. */
    private static final int BLOCKS = ((((INFINITY_BITS - 1) >>> SHIFT) - SLOT_BASE) >>> MANTISSA_BITS) + 1;

    /** Counters per sign: the counter index of a negative value is its slot plus this. */
    private static final int HALF = BLOCKS * BLOCK;

    /** Number of blocks of both signs: block indices are {@code [0, BLOCK_COUNT)}. */
    static final int BLOCK_COUNT = 2 * BLOCKS;

    /** Upper bound on the counters one histogram allocates: every block of both signs. */
    public static final long MAX_RETAINED_BINS = (long) BLOCK_COUNT * BLOCK;

    /**
     * Values indexed per pass of the first loop: a caller streaming a tensor through chunks of this size (256 KiB of
     * bits plus 256 KiB of index scratch) has each chunk indexed, checked and counted in one go.
     */
    public static final int RUN = 64 * 1024;

    /** Pending zero-bin counters per sign, taken in turn. */
    private static final int ZERO_LANES = 8;

    /** {@code LANES[i] = i mod ZERO_LANES}: read from an array, so that the position loop still vectorises. */
    private static final int[] LANES = new int[RUN];

    static {
        for (int i = 0; i < RUN; i++) LANES[i] = i % ZERO_LANES;
    }

    /**
     * Fold the {@code int} counters into the {@code long} totals before more than this many values have been counted
     * into them: no {@code int} counter can then exceed it.
     */
    private final int foldLimit;

    /**
     * Pending counts: the negative window (slot blocks {@code [negFirst, negFirst + negBlocks)}), then the positive
     * window (slot blocks {@code [posFirst, posFirst + posBlocks)}), then the zero-bin lanes, {@link #ZERO_LANES} for
     * x ≥ +0 and as many for x ≤ −0.
     */
    private int[] pending = new int[2 * ZERO_LANES];

    private int negFirst;
    private int negBlocks;
    private int posFirst;
    private int posBlocks;

    /**
     * Folded totals, {@link #BLOCK_COUNT} blocks: {@code [0, BLOCKS)} for x ≥ +0, {@code [BLOCKS, 2·BLOCKS)} for
     * x ≤ −0; null entries where nothing was folded.
     */
    private final long[][] folded;

    /** Values counted into {@link #pending} since the last fold. */
    private long sinceFold;

    private long count;

    /** The extremes as {@link #key} of their bit patterns: +inf and −inf while empty. */
    private int minKey = keyOf(Float.POSITIVE_INFINITY);

    private int maxKey = keyOf(Float.NEGATIVE_INFINITY);

    /** What {@link #scan} found in the run being counted: its extremes and the magnitudes each sign reaches. */
    private int runMin;

    private int runMax;
    private int posSmallest;
    private int negSmallest;

    /** An empty histogram. */
    public StreamingHistogram() {
        this(Integer.MAX_VALUE);
    }

    /**
     * An empty histogram that folds its {@code int} counters before more than {@code foldLimit} values are counted
     * into them (tests of the fold).
     *
     * @param foldLimit at least {@link #RUN}
     */
    StreamingHistogram(int foldLimit) {
        if (foldLimit < RUN) throw new IllegalArgumentException("fold limit " + foldLimit + " below " + RUN);
        this.foldLimit = foldLimit;
        folded = new long[BLOCK_COUNT][];
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
        this.foldLimit = Integer.MAX_VALUE;
        this.folded = blocks;
        this.count = count;
        this.minKey = keyOf(min);
        this.maxKey = keyOf(max);
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
     * Counts the first {@code length} of {@code values}.
     *
     * @throws IllegalArgumentException on NaN or infinity (the calibrator reports them as the layer's error)
     */
    public void accept(float[] values, int length) {
        int scratch = Math.max(1, Math.min(length, RUN));
        accept(values, length, new int[scratch], new int[scratch]);
    }

    /**
     * Counts the first {@code length} of {@code values} through caller-owned scratch (a caller counting many tensors
     * keeps one pair per thread instead of allocating it per call).
     *
     * @param bits scratch for the values' bit patterns, overwritten; any positive length
     * @param indices scratch of at least {@code min(bits.length, RUN)} ints, overwritten
     * @throws IllegalArgumentException on NaN or infinity (the calibrator reports them as the layer's error)
     */
    public void accept(float[] values, int length, int[] bits, int[] indices) {
        Objects.checkFromIndexSize(0, length, values.length);
        int step = Math.min(bits.length, RUN);
        if (step == 0) throw new IllegalArgumentException("no scratch for the bit patterns");
        for (int start = 0; start < length; start += step) {
            int n = Math.min(step, length - start);
            for (int i = 0; i < n; i++) bits[i] = Float.floatToRawIntBits(values[start + i]);
            acceptBits(bits, n, indices);
        }
    }

    /**
     * Counts the first {@code length} values whose IEEE-754 bit patterns ({@link Float#floatToRawIntBits}) are in
     * {@code bits}: the fast path of a caller streaming a tensor's raw bytes through a reused chunk. A call either
     * counts all its values or, when one is NaN or infinite, throws having counted none of them (for {@code length}
     * up to {@link #RUN}; a longer call is counted and checked {@link #RUN} values at a time).
     *
     * @param indices scratch of at least {@code min(length, RUN)} ints, overwritten (a caller counting many tensors
     *     keeps one per thread instead of allocating it per call)
     * @throws IllegalArgumentException on NaN or infinity (the calibrator reports them as the layer's error)
     */
    public void acceptBits(int[] bits, int length, int[] indices) {
        Objects.checkFromIndexSize(0, length, bits.length);
        if (indices.length < Math.min(length, RUN)) {
            throw new IllegalArgumentException(indices.length + " ints of index scratch for " + length + " values");
        }
        if (length <= RUN) {
            countRun(bits, length, indices);
            return;
        }
        int[] run = new int[RUN];
        for (int start = 0; start < length; start += RUN) {
            int n = Math.min(RUN, length - start);
            System.arraycopy(bits, start, run, 0, n);
            countRun(run, n, indices);
        }
    }

    /**
     * Scans, checks, positions and counts {@code bits[0, n)}, {@code n ≤ RUN}. The loops read their arrays from index
     * 0: with an offset into {@code bits} the JIT no longer vectorises them (about 3× slower in a micro-benchmark).
     */
    private void countRun(int[] bits, int n, int[] indices) {
        if (sinceFold > foldLimit - n) fold();
        if (scan(bits, n) >= INFINITY_BITS) {
            for (int i = 0; i < n; i++) {
                float v = Float.intBitsToFloat(bits[i]);
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("non-finite value " + v + " given to a histogram");
                }
            }
        }
        reach();
        position(bits, n, indices);
        increment(pending, indices, n);
        minKey = runMin;
        maxKey = runMax;
        count += n;
        sinceFold += n;
    }

    /**
     * Leaves the extremes including {@code bits[0, n)} in {@link #runMin} / {@link #runMax} and, per sign, the
     * smallest magnitude above the zero bin in {@link #posSmallest} / {@link #negSmallest} (as bit patterns; {@code
     * Integer.MAX_VALUE} where there is none); returns the largest magnitude's bit pattern. Its own method, one loop
     * of integer operations: so compiled, the JIT vectorises it.
     */
    private int scan(int[] bits, int n) {
        // Extremes are tracked as order-preserving integer keys (see key()), so -0 < +0 falls out of the comparison.
        int lo = minKey;
        int hi = maxKey;
        int largestMagnitude = 0;
        int pos = Integer.MAX_VALUE;
        int neg = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            int b = bits[i];
            int abs = b & 0x7fffffff;
            largestMagnitude = Math.max(largestMagnitude, abs);
            int k = b ^ ((b >> 31) & 0x7fffffff);
            lo = Math.min(lo, k);
            hi = Math.max(hi, k);
            // All ones for a negative value, and for a magnitude in the zero bin.
            int negative = b >> 31;
            int tiny = (abs - ZERO_LIMIT_BITS) >> 31;
            pos = Math.min(pos, abs | ((negative | tiny) & 0x7fffffff));
            neg = Math.min(neg, abs | ((~negative | tiny) & 0x7fffffff));
        }
        runMin = lo;
        runMax = hi;
        posSmallest = pos;
        negSmallest = neg;
        return largestMagnitude;
    }

    /** Grows the windows of {@link #pending} to the slot blocks the scanned run reaches. */
    private void reach() {
        int posLast = -1;
        int posStart = Integer.MAX_VALUE;
        if (posSmallest != Integer.MAX_VALUE) {
            posStart = slotOf(posSmallest) >>> MANTISSA_BITS;
            posLast = slotOf(key(runMax)) >>> MANTISSA_BITS;
        }
        int negLast = -1;
        int negStart = Integer.MAX_VALUE;
        if (negSmallest != Integer.MAX_VALUE) {
            negStart = slotOf(negSmallest) >>> MANTISSA_BITS;
            negLast = slotOf(key(runMin) & 0x7fffffff) >>> MANTISSA_BITS;
        }
        Window neg = new Window(negFirst, negBlocks).reaching(negStart, negLast);
        Window pos = new Window(posFirst, posBlocks).reaching(posStart, posLast);
        if (neg.blocks() == negBlocks && pos.blocks() == posBlocks) return;
        int[] grown = new int[(neg.blocks() + pos.blocks()) * BLOCK + 2 * ZERO_LANES];
        if (negBlocks > 0) {
            System.arraycopy(pending, 0, grown, (negFirst - neg.first()) * BLOCK, negBlocks * BLOCK);
        }
        if (posBlocks > 0) {
            int to = (neg.blocks() + posFirst - pos.first()) * BLOCK;
            System.arraycopy(pending, negBlocks * BLOCK, grown, to, posBlocks * BLOCK);
        }
        int lanes = (negBlocks + posBlocks) * BLOCK;
        System.arraycopy(pending, lanes, grown, (neg.blocks() + pos.blocks()) * BLOCK, 2 * ZERO_LANES);
        pending = grown;
        negFirst = neg.first();
        negBlocks = neg.blocks();
        posFirst = pos.first();
        posBlocks = pos.blocks();
    }

    /** A sign's window of pending counters: slot blocks {@code [first, first + blocks)}; empty when blocks is 0. */
    private record Window(int first, int blocks) {
        /**
         * Blocks a window grows by beyond what a run reaches, on the side it grows, at least: activation ranges widen
         * over the first runs, and each growth copies the window, so a side grows by half the window more.
         */
        private static final int SLACK = 2;

        /** A window holding this one and slot blocks {@code [start, last]}; this one when last < 0 or it holds them. */
        Window reaching(int start, int last) {
            if (last < 0 || (blocks > 0 && start >= first && last < first + blocks)) return this;
            if (blocks == 0) {
                int from = Math.max(1, start - SLACK);
                return new Window(from, Math.min(BLOCKS - 1, last + SLACK) - from + 1);
            }
            int margin = SLACK + blocks / 2;
            int end = first + blocks - 1;
            int from = start >= first ? first : Math.max(1, start - margin);
            int to = last <= end ? end : Math.min(BLOCKS - 1, last + margin);
            return new Window(from, to - from + 1);
        }
    }

    /**
     * Writes the position in {@link #pending} of each of {@code bits[0, n)} to {@code indices}: its slot in its sign's
     * window, or its sign's next zero lane. Integer operations and selects only, so that the JIT vectorises it.
     */
    private void position(int[] bits, int n, int[] indices) {
        int posBase = negBlocks * BLOCK - posFirst * BLOCK;
        int negBase = -negFirst * BLOCK;
        int lanes = (negBlocks + posBlocks) * BLOCK;
        int[] laneOf = LANES;
        for (int i = 0; i < n; i++) {
            int b = bits[i];
            int negative = b >> 31;
            int slot = Math.max(((b & 0x7fffffff) >>> SHIFT) - SLOT_BASE, ZERO_SLOT);
            int inWindow = slot + (posBase + (negative & (negBase - posBase)));
            int lane = lanes + (negative & ZERO_LANES) + laneOf[i];
            int zero = (slot - ZERO_SLOT - 1) >> 31;
            indices[i] = inWindow + (zero & (lane - inWindow));
        }
    }

    /** Increments the counters of {@link #pending} named by {@code indices[0, n)}. */
    private static void increment(int[] counters, int[] indices, int n) {
        for (int i = 0; i < n; i++) counters[indices[i]]++;
    }

    /** The slot of a magnitude's bit pattern, {@link #ZERO_SLOT} for the zero bin. */
    private static int slotOf(int magnitudeBits) {
        return Math.max((magnitudeBits >>> SHIFT) - SLOT_BASE, ZERO_SLOT);
    }

    /**
     * The order-preserving integer key of a float's bit pattern, and its inverse (the map is an involution): negative
     * values keep the sign bit and flip the rest, so keys compare as the floats do, with {@code −0 < +0}.
     */
    private static int key(int bits) {
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    private static int keyOf(float v) {
        return key(Float.floatToRawIntBits(v));
    }

    /** Adds the pending counters to the {@code long} totals and clears them. */
    private void fold() {
        foldWindow(0, negFirst, negBlocks, BLOCKS);
        foldWindow(negBlocks * BLOCK, posFirst, posBlocks, 0);
        for (int half : new int[] {0, BLOCKS}) {
            long zeros = pendingZeros(half);
            if (zeros > 0) totalsBlock(half)[ZERO_SLOT] += zeros;
        }
        Arrays.fill(pending, 0);
        sinceFold = 0;
    }

    /** Adds one sign's window, starting at {@code offset} of {@link #pending}, to that sign's totals. */
    private void foldWindow(int offset, int first, int blocks, int half) {
        for (int k = 0; k < blocks; k++) {
            long[] totals = null;
            for (int i = 0; i < BLOCK; i++) {
                int c = pending[offset + k * BLOCK + i];
                if (c == 0) continue;
                if (totals == null) totals = totalsBlock(half + first + k);
                totals[i] += c;
            }
        }
    }

    private long[] totalsBlock(int index) {
        long[] f = folded[index];
        if (f == null) {
            f = new long[BLOCK];
            folded[index] = f;
        }
        return f;
    }

    /**
     * Folds the pending counts into the totals and releases the counting window. The calibrator calls it when its
     * pass is over, so that the readers ({@link #block}, {@link #signed}, the range algorithms) share the totals
     * instead of each summing pending counts into copies. Counting may go on afterwards.
     */
    void finish() {
        fold();
        pending = new int[2 * ZERO_LANES];
        negFirst = 0;
        negBlocks = 0;
        posFirst = 0;
        posBlocks = 0;
    }

    /**
     * Block {@code index} of the totals plus its pending counts: the totals' own array when nothing is pending there,
     * otherwise a new array (the totals are not changed); null when neither holds a count.
     */
    private long @Nullable [] withPending(int index) {
        long[] totals = folded[index];
        int offset = pendingOffset(index);
        long[] sum = null;
        if (offset >= 0) {
            for (int i = 0; i < BLOCK; i++) {
                int c = pending[offset + i];
                if (c == 0) continue;
                if (sum == null) sum = totals == null ? new long[BLOCK] : totals.clone();
                sum[i] += c;
            }
        }
        long zeros = pendingZeros(index);
        if (zeros > 0) {
            if (sum == null) sum = totals == null ? new long[BLOCK] : totals.clone();
            sum[ZERO_SLOT] += zeros;
        }
        return sum == null ? totals : sum;
    }

    /** Whether a value landed in block {@code index}: {@link #withPending} is not null, found without a copy. */
    private boolean landed(int index) {
        if (folded[index] != null || pendingZeros(index) > 0) return true;
        int offset = pendingOffset(index);
        if (offset < 0) return false;
        for (int i = 0; i < BLOCK; i++) {
            if (pending[offset + i] != 0) return true;
        }
        return false;
    }

    /** Where block {@code index} starts in {@link #pending}; −1 when it lies outside its sign's window. */
    private int pendingOffset(int index) {
        boolean negative = index >= BLOCKS;
        int slotBlock = negative ? index - BLOCKS : index;
        int first = negative ? negFirst : posFirst;
        int blocks = negative ? negBlocks : posBlocks;
        if (slotBlock < first || slotBlock >= first + blocks) return -1;
        return (negative ? 0 : negBlocks * BLOCK) + (slotBlock - first) * BLOCK;
    }

    /** The pending zero-bin count of block {@code index}: its sign's lanes for the zero bin's block, else 0. */
    private long pendingZeros(int index) {
        if (index != 0 && index != BLOCKS) return 0;
        int lanes = (negBlocks + posBlocks) * BLOCK + (index == BLOCKS ? ZERO_LANES : 0);
        long zeros = 0;
        for (int l = 0; l < ZERO_LANES; l++) zeros += pending[lanes + l];
        return zeros;
    }

    /** Pending {@code int} counters allocated now, zero-bin lanes included (tests of the window's growth). */
    int pendingCounters() {
        return pending.length;
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
        return Float.intBitsToFloat(key(minKey));
    }

    /** The largest value accepted (exact; {@code +0} above {@code −0}); −inf before any. */
    public float max() {
        return Float.intBitsToFloat(key(maxKey));
    }

    /**
     * Counters the statistics hold: {@link #BLOCK_SIZE} per (sign, octave) a value landed in, never above {@link
     * #MAX_RETAINED_BINS}, however many values were accepted. The pending {@code int} counters add one per bin from
     * each sign's smallest to its largest magnitude above the zero bin, also at most {@link #MAX_RETAINED_BINS}.
     */
    public long retainedBins() {
        long allocated = 0;
        for (int b = 0; b < BLOCK_COUNT; b++) {
            if (landed(b)) allocated++;
        }
        return allocated * BLOCK;
    }

    /**
     * The non-empty bins of the signed values in ascending order, each bin's interval clipped to the exact
     * {@code [min, max]} seen (so the outermost bins end at the true extremes and constant data gives one point bin).
     */
    HistogramBins signed() {
        float min = min();
        float max = max();
        BinList out = new BinList();
        if (count == 0) return out.build();
        long[][] totals = totals();
        for (int slot = BLOCKS * BLOCK - 1; slot >= BLOCK; slot--) {
            long c = counter(totals, BLOCKS, slot);
            if (c > 0) out.add(Math.max(-upperEdge(slot), min), Math.min(-lowerEdge(slot), max), c);
        }
        long zero = counter(totals, 0, ZERO_SLOT) + counter(totals, BLOCKS, ZERO_SLOT);
        if (zero > 0) out.add(Math.max(-(double) ZERO_LIMIT, min), Math.min(ZERO_LIMIT, max), zero);
        for (int slot = BLOCK; slot < BLOCKS * BLOCK; slot++) {
            long c = counter(totals, 0, slot);
            if (c > 0) out.add(Math.max(lowerEdge(slot), min), Math.min(upperEdge(slot), max), c);
        }
        return out.build();
    }

    /**
     * The non-empty bins of {@code |x|} in ascending order: the two signed bins of the same magnitude merged, each
     * interval the hull of the magnitudes of their clipped signed intervals.
     */
    HistogramBins magnitudes() {
        float min = min();
        float max = max();
        BinList out = new BinList();
        if (count == 0) return out.build();
        long[][] totals = totals();
        long zero = counter(totals, 0, ZERO_SLOT) + counter(totals, BLOCKS, ZERO_SLOT);
        if (zero > 0) {
            double a = Math.max(-(double) ZERO_LIMIT, min);
            double b = Math.min(ZERO_LIMIT, max);
            double lo = a >= 0 ? a : b <= 0 ? -b : 0;
            out.add(lo, Math.max(Math.abs(a), Math.abs(b)), zero);
        }
        for (int slot = BLOCK; slot < BLOCKS * BLOCK; slot++) {
            long p = counter(totals, 0, slot);
            long n = counter(totals, BLOCKS, slot);
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

    /**
     * The counts of block {@code index} of {@code [0, BLOCK_COUNT)}: null when no value landed there. A copy when
     * counts are still pending in {@code int} counters, otherwise the histogram's own array: read-only for callers.
     */
    long @Nullable [] block(int index) {
        return withPending(index);
    }

    /** Index of the counter (block · {@link #BLOCK_SIZE} + position) that counts the finite value {@code v}. */
    static int counterIndex(float v) {
        int bits = Float.floatToRawIntBits(v);
        return (bits >>> 31) * HALF + Math.max(((bits & 0x7fffffff) >>> SHIFT) - SLOT_BASE, ZERO_SLOT);
    }

    /** Every block of the totals with the pending counts added ({@link #block}), null where no value landed. */
    private long[][] totals() {
        long[][] all = new long[BLOCK_COUNT][];
        for (int b = 0; b < BLOCK_COUNT; b++) all[b] = block(b);
        return all;
    }

    /** The counter of {@code slot} in the half starting at block {@code half} of {@link #totals}; 0 where none. */
    private static long counter(long[][] totals, int half, int slot) {
        long[] f = totals[half + (slot >>> MANTISSA_BITS)];
        return f == null ? 0 : f[slot & (BLOCK - 1)];
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
