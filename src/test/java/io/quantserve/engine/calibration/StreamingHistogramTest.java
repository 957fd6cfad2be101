package io.quantserve.engine.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StreamingHistogramTest {
    /** Bin width bound: 2^-10 of the magnitude, or the zero bin's half-width. */
    private static double binWidth(double x) {
        return Math.max(Math.abs(x) * 0x1p-10, 0x1p-31);
    }

    @Test
    void everyRankIsFoundWithinOneBinOfTheSortedValue() {
        for (float[] values : new float[][] {
            Samples.gaussian(1, 10_000, 3), Samples.laplace(2, 10_000, 0.01), Samples.reluLike(3, 10_000)
        }) {
            StreamingHistogram h = new StreamingHistogram();
            h.accept(values);
            HistogramBins bins = h.signed();
            float[] sorted = values.clone();
            Arrays.sort(sorted);
            assertThat(bins.total()).isEqualTo(values.length);
            assertThat(bins.min()).isEqualTo(sorted[0]);
            assertThat(bins.max()).isEqualTo(sorted[sorted.length - 1]);
            for (int k = 1; k <= sorted.length; k++) {
                double x = sorted[k - 1];
                assertThat(Math.abs(bins.valueAtRank(k) - x)).as("rank %d", k).isLessThanOrEqualTo(binWidth(x));
            }
        }
    }

    @Test
    void binsAreOrderedDisjointAndHoldTheirValues() {
        float[] values = Samples.gaussian(4, 50_000, 5);
        StreamingHistogram h = new StreamingHistogram();
        h.accept(values);
        HistogramBins bins = h.signed();
        for (int i = 0; i < bins.size(); i++) {
            assertThat(bins.lo(i)).isLessThanOrEqualTo(bins.hi(i));
            assertThat(bins.hi(i) - bins.lo(i)).isLessThanOrEqualTo(binWidth(bins.hi(i)) + 1e-300);
            if (i > 0) assertThat(bins.lo(i)).isGreaterThanOrEqualTo(bins.hi(i - 1));
        }
        // Cumulative counts agree with direct counting at arbitrary points, up to one bin of interpolation.
        double[] points = {-7.5, -1, -0.001, 0, 0.25, 3, 100};
        double[] below = bins.below(points).count();
        for (int p = 0; p < points.length; p++) {
            long direct = 0;
            long near = 0;
            for (float v : values) {
                if (v < points[p]) direct++;
                if (Math.abs(v - points[p]) <= binWidth(points[p])) near++;
            }
            assertThat(Math.abs(below[p] - direct)).as("below %s", points[p]).isLessThanOrEqualTo(near);
        }
    }

    @Test
    void magnitudesFoldBothSigns() {
        float[] values = {-3f, 3f, -0.5f, 0f, 1e-20f, -1e-20f, 2f};
        StreamingHistogram h = new StreamingHistogram();
        h.accept(values);
        HistogramBins m = h.magnitudes();
        assertThat(m.total()).isEqualTo(7);
        assertThat(m.max()).isEqualTo(3.0);
        assertThat(m.count(m.size() - 1)).isEqualTo(2); // -3 and 3 share a bin
        assertThat(m.count(0)).isEqualTo(3); // the zero bin
        assertThat(m.valueAtRank(7)).isEqualTo(3.0);
    }

    @Test
    void stateDependsOnlyOnTheMultisetOfValues() {
        float[] values = Samples.laplace(5, 100_000, 2);
        HistogramBins whole = fed(Samples.split(values, values.length));
        float[] shuffled = values.clone();
        Samples.shuffle(shuffled, 99);
        for (HistogramBins other : new HistogramBins[] {
            fed(Samples.split(values, 1)),
            fed(Samples.split(values, 4096, 0, 17)),
            fed(Samples.randomSplit(values, 3)),
            fed(Samples.split(shuffled, 1000))
        }) {
            assertThat(other.size()).isEqualTo(whole.size());
            for (int i = 0; i < whole.size(); i++) {
                assertThat(other.count(i)).isEqualTo(whole.count(i));
                assertThat(Double.doubleToRawLongBits(other.lo(i))).isEqualTo(Double.doubleToRawLongBits(whole.lo(i)));
                assertThat(Double.doubleToRawLongBits(other.hi(i))).isEqualTo(Double.doubleToRawLongBits(whole.hi(i)));
            }
        }
    }

    @Test
    void memoryStaysConstantOverTenMillionValues() {
        // Magnitudes in [1/4, 64) and zeros: 8 octaves per sign, all touched in the first batch.
        SplittableRandom r = new SplittableRandom(11);
        StreamingHistogram h = new StreamingHistogram();
        float[] batch = new float[100_000];
        long afterFirst = -1;
        for (int b = 0; b < 100; b++) {
            for (int i = 0; i < batch.length; i++) {
                double mag = Math.scalb(1.0 + r.nextDouble(), r.nextInt(8) - 2);
                batch[i] = r.nextInt(5) == 0 ? 0f : (float) (r.nextBoolean() ? mag : -mag);
            }
            h.accept(batch);
            if (b == 0) afterFirst = h.retainedBins();
        }
        assertThat(h.count()).isEqualTo(10_000_000L);
        // 8 octaves per sign, plus the zero bin's block: 17 blocks of 1024 counters.
        assertThat(h.retainedBins()).isEqualTo(afterFirst).isEqualTo(17L * 1024);
        assertThat(h.retainedBins()).isLessThanOrEqualTo(StreamingHistogram.MAX_RETAINED_BINS);
    }

    @Test
    void retainedBinsAreBoundedWhateverTheValues() {
        StreamingHistogram h = new StreamingHistogram();
        SplittableRandom r = new SplittableRandom(12);
        float[] batch = new float[100_000];
        for (int b = 0; b < 20; b++) {
            for (int i = 0; i < batch.length; i++) batch[i] = Float.intBitsToFloat(r.nextInt() & 0xff7fffff);
            h.accept(batch);
        }
        assertThat(h.retainedBins()).isLessThanOrEqualTo(StreamingHistogram.MAX_RETAINED_BINS);
        assertThat(StreamingHistogram.MAX_RETAINED_BINS).isEqualTo(2L * 161 * 1024);
    }

    @Test
    void signedZerosOrderMinusZeroBelowPlusZeroWhateverTheSplit() {
        for (float[][] calls :
                new float[][][] {{{0f, -0f}}, {{-0f, 0f}}, {{0f}, {-0f}}, {{-0f}, {0f}}, {{0f, 0f}, {-0f, 0f}}}) {
            StreamingHistogram h = new StreamingHistogram();
            for (float[] call : calls) h.accept(call);
            assertThat(Float.floatToRawIntBits(h.min())).isEqualTo(Float.floatToRawIntBits(-0f));
            assertThat(Float.floatToRawIntBits(h.max())).isEqualTo(Float.floatToRawIntBits(0f));
        }
        StreamingHistogram onlyMinusZero = new StreamingHistogram();
        onlyMinusZero.accept(new float[] {-0f, -0f});
        assertThat(Float.floatToRawIntBits(onlyMinusZero.max())).isEqualTo(Float.floatToRawIntBits(-0f));
        StreamingHistogram onlyPlusZero = new StreamingHistogram();
        onlyPlusZero.accept(new float[] {0f});
        assertThat(Float.floatToRawIntBits(onlyPlusZero.min())).isEqualTo(Float.floatToRawIntBits(0f));
        // A tiny value shares the zero slot but is itself the extreme.
        StreamingHistogram tiny = new StreamingHistogram();
        tiny.accept(new float[] {0f, -1e-40f, 1e-40f, -0f});
        assertThat(tiny.min()).isEqualTo(-1e-40f);
        assertThat(tiny.max()).isEqualTo(1e-40f);
    }

    @Test
    void extremeFloatsAreCountedAndNonFiniteRefused() {
        StreamingHistogram h = new StreamingHistogram();
        h.accept(new float[] {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -0f});
        HistogramBins bins = h.signed();
        assertThat(bins.min()).isEqualTo(-Float.MAX_VALUE);
        assertThat(bins.max()).isEqualTo(Float.MAX_VALUE);
        assertThat(bins.total()).isEqualTo(4);
        assertThatThrownBy(() -> h.accept(new float[] {Float.NaN})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.accept(new float[] {Float.NEGATIVE_INFINITY}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void foldedCountsEqualUnfoldedCounts() {
        // A fold every 64 Ki values (instead of every 2^31 - 1) over 1 M values: about 16 folds, each call a
        // different size so folds fall inside and between calls.
        StreamingHistogram folding = new StreamingHistogram(StreamingHistogram.RUN);
        StreamingHistogram plain = new StreamingHistogram();
        float[] values = Samples.laplace(21, 1_000_000, 3);
        int start = 0;
        for (int size = 1000; start < values.length; size = size * 3 % 150_001 + 1) {
            float[] call = Arrays.copyOfRange(values, start, Math.min(values.length, start + size));
            folding.accept(call);
            plain.accept(call);
            start += call.length;
        }
        assertThat(folding.count()).isEqualTo(plain.count()).isEqualTo(values.length);
        assertThat(folding.min()).isEqualTo(plain.min());
        assertThat(folding.max()).isEqualTo(plain.max());
        assertThat(folding.retainedBins()).isEqualTo(plain.retainedBins());
        long total = 0;
        for (int b = 0; b < StreamingHistogram.BLOCK_COUNT; b++) {
            assertThat(folding.block(b)).as("block %d", b).isEqualTo(plain.block(b));
            if (plain.block(b) != null) total += Arrays.stream(plain.block(b)).sum();
        }
        assertThat(total).isEqualTo(values.length);
        assertThatThrownBy(() -> new StreamingHistogram(StreamingHistogram.RUN - 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyCounterHoldsExactlyItsValuesWhileTheCountingWindowsGrow() {
        // Each call reaches octaves the earlier ones did not, below and above, for both signs, with runs of zeros
        // (+0, -0 and magnitudes under 2^-32) in between: the pending windows grow in every direction, and one
        // histogram also folds every 64 Ki values.
        SplittableRandom r = new SplittableRandom(23);
        double[][] ranges = {
            {1, 2}, {0.25, 8}, {-3, -1}, {1e-6, 1e-3}, {-1e-9, 1e-9}, {1e6, 1e7}, {-1e12, -1e3}, {-0.5, 0.5}
        };
        StreamingHistogram plain = new StreamingHistogram();
        StreamingHistogram folding = new StreamingHistogram(StreamingHistogram.RUN);
        java.util.Map<Integer, Long> expected = new java.util.HashMap<>();
        for (double[] range : ranges) {
            float[] call = new float[150_000];
            for (int i = 0; i < call.length; i++) {
                int kind = r.nextInt(10);
                float v = kind == 0
                        ? 0f
                        : kind == 1
                                ? -0f
                                : kind == 2
                                        ? (float) r.nextDouble(-1e-12, 1e-12)
                                        : (float) r.nextDouble(range[0], range[1]);
                call[i] = v;
                expected.merge(StreamingHistogram.counterIndex(v), 1L, Long::sum);
            }
            plain.accept(call);
            folding.accept(call, call.length, new int[5000], new int[5000]);
        }
        for (StreamingHistogram h : new StreamingHistogram[] {plain, folding}) {
            long blocks = 0;
            for (int b = 0; b < StreamingHistogram.BLOCK_COUNT; b++) {
                long[] block = h.block(b);
                boolean landed = false;
                for (int i = 0; i < StreamingHistogram.BLOCK_SIZE; i++) {
                    long want = expected.getOrDefault(b * StreamingHistogram.BLOCK_SIZE + i, 0L);
                    landed |= want > 0;
                    assertThat(block == null ? 0 : block[i])
                            .as("block %d counter %d", b, i)
                            .isEqualTo(want);
                }
                assertThat(block != null).as("block %d allocated", b).isEqualTo(landed);
                if (landed) blocks++;
            }
            assertThat(h.retainedBins()).isEqualTo(blocks * StreamingHistogram.BLOCK_SIZE);
            assertThat(h.count()).isEqualTo(ranges.length * 150_000L);
        }
        // Finished, the totals are the same and read without copies; counting may go on.
        plain.finish();
        for (int b = 0; b < StreamingHistogram.BLOCK_COUNT; b++) {
            assertThat(plain.block(b)).as("block %d", b).isEqualTo(folding.block(b));
            assertThat(plain.block(b)).as("block %d", b).isSameAs(plain.block(b));
        }
        plain.accept(new float[] {-0f, 5f});
        folding.accept(new float[] {-0f, 5f});
        for (int b = 0; b < StreamingHistogram.BLOCK_COUNT; b++) {
            assertThat(plain.block(b)).as("block %d", b).isEqualTo(folding.block(b));
        }
    }

    @Test
    void theCountingWindowHoldsTheOctavesReachedPlusSlack() {
        // Values in [1, 4) of both signs: two octaves per sign, and two blocks of slack on either side of each.
        StreamingHistogram h = new StreamingHistogram();
        float[] values = Samples.gaussian(24, 100_000, 1);
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.copySign(1f + Math.min(2.99f, Math.abs(values[i])), values[i]);
        }
        h.accept(values);
        long perSign = (2 + 2 * 2) * (long) StreamingHistogram.BLOCK_SIZE;
        assertThat((long) h.pendingCounters()).isEqualTo(2 * perSign + 16);
        // A value 20 octaves up widens the positive window to it, not to every octave in between and beyond.
        h.accept(new float[] {3e6f});
        assertThat((long) h.pendingCounters()).isLessThan(2 * perSign + 16 + 30L * StreamingHistogram.BLOCK_SIZE);
    }

    @Test
    void bitPatternsCountAsTheirFloats() {
        float[] values = Samples.gaussian(22, 200_000, 4);
        values[7] = -0f;
        values[8] = Float.MIN_VALUE;
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) bits[i] = Float.floatToRawIntBits(values[i]);
        StreamingHistogram fromFloats = new StreamingHistogram();
        fromFloats.accept(values);
        StreamingHistogram fromBits = new StreamingHistogram();
        int[] scratch = new int[StreamingHistogram.RUN];
        fromBits.acceptBits(bits, 123_456, scratch);
        fromBits.acceptBits(Arrays.copyOfRange(bits, 123_456, bits.length), bits.length - 123_456, scratch);
        assertThatThrownBy(() -> fromBits.acceptBits(bits, 10, new int[9]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index scratch");
        assertThat(fromBits.count()).isEqualTo(fromFloats.count());
        assertThat(fromBits.min()).isEqualTo(fromFloats.min());
        assertThat(fromBits.max()).isEqualTo(fromFloats.max());
        for (int b = 0; b < StreamingHistogram.BLOCK_COUNT; b++) {
            assertThat(fromBits.block(b)).as("block %d", b).isEqualTo(fromFloats.block(b));
        }
        // Through caller-owned scratch smaller than the values: the same counts.
        StreamingHistogram viaScratch = new StreamingHistogram();
        viaScratch.accept(values, values.length, new int[1000], new int[1000]);
        assertThat(viaScratch.count()).isEqualTo(fromFloats.count());
        for (int b = 0; b < StreamingHistogram.BLOCK_COUNT; b++) {
            assertThat(viaScratch.block(b)).as("block %d", b).isEqualTo(fromFloats.block(b));
        }
        // Each value lands on the counter counterIndex names.
        StreamingHistogram one = new StreamingHistogram();
        one.accept(new float[] {-2.5f});
        int index = StreamingHistogram.counterIndex(-2.5f);
        long[] block = one.block(index / StreamingHistogram.BLOCK_SIZE);
        assertThat(block).isNotNull();
        assertThat(block[index % StreamingHistogram.BLOCK_SIZE]).isEqualTo(1);
    }

    @Test
    void aRefusedCallCountsNothing() {
        StreamingHistogram h = new StreamingHistogram();
        h.accept(new float[] {3f});
        assertThatThrownBy(() -> h.accept(new float[] {1f, -7f, Float.NaN, 2f}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        assertThat(h.count()).isEqualTo(1);
        assertThat(h.min()).isEqualTo(3f);
        assertThat(h.max()).isEqualTo(3f);
        assertThat(h.signed().total()).isEqualTo(1);
    }

    private static HistogramBins fed(java.util.List<float[]> batches) {
        StreamingHistogram h = new StreamingHistogram();
        batches.forEach(h::accept);
        return h.signed();
    }
}
