package io.quantserve.engine.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Output metrics on two samples small enough to compute by hand. */
class MetricsAccumulatorTest {
    /** Two samples of three logits; the candidate changes the second sample's arg-max (index 2 → index 0). */
    private static final long[] SHAPE = {2, 3};

    private static final float[] REFERENCE = {1, 2, 0, 0, 1, 3};
    private static final float[] CANDIDATE = {1, 2, 0, 4, 1, 3};

    @Test
    void comparesEverySampleAndItsArgMax() {
        MetricsAccumulator acc = new MetricsAccumulator("logits");
        acc.add(SHAPE, REFERENCE, CANDIDATE);
        OutputMetrics m = acc.result();

        // Sample 1 is identical (cosine 1); sample 2: dot 10, |r|² 10, |c|² 26 → 10/√260.
        double second = 10 / Math.sqrt(260);
        assertThat(m.samples()).isEqualTo(2);
        assertThat(m.cosine()).isCloseTo((1 + second) / 2, within(1e-12));
        assertThat(m.minCosine()).isCloseTo(second, within(1e-12));
        // Signal 5 + 10 = 15, noise 16.
        assertThat(m.sqnrDb()).isCloseTo(10 * Math.log10(15.0 / 16.0), within(1e-12));
        assertThat(m.maxAbsError()).isEqualTo(4.0);
        assertThat(m.top1Agreement()).isEqualTo(0.5);
    }

    @Test
    void withoutTop1TheOtherMetricsAreUnchangedAndAgreementIsNotMeasured() {
        MetricsAccumulator with = new MetricsAccumulator("logits");
        MetricsAccumulator without = new MetricsAccumulator("logits", false);
        with.add(SHAPE, REFERENCE, CANDIDATE);
        without.add(SHAPE, REFERENCE, CANDIDATE);
        OutputMetrics a = with.result();
        OutputMetrics b = without.result();

        assertThat(b.top1Agreement()).isNaN();
        assertThat(b.cosine()).isEqualTo(a.cosine());
        assertThat(b.minCosine()).isEqualTo(a.minCosine());
        assertThat(b.sqnrDb()).isEqualTo(a.sqnrDb());
        assertThat(b.maxAbsError()).isEqualTo(a.maxAbsError());
        assertThat(b.samples()).isEqualTo(a.samples());
    }

    @Test
    void aLengthReadsOnlyTheFirstValuesOfLongerArrays() {
        MetricsAccumulator exact = new MetricsAccumulator("logits");
        MetricsAccumulator prefix = new MetricsAccumulator("logits");
        exact.add(SHAPE, REFERENCE, CANDIDATE);
        float[] r = java.util.Arrays.copyOf(REFERENCE, 9);
        float[] c = java.util.Arrays.copyOf(CANDIDATE, 9);
        r[7] = 100;
        c[8] = -100;
        prefix.add(SHAPE, r, c, REFERENCE.length);
        assertThat(prefix.result()).isEqualTo(exact.result());
    }

    @Test
    void aNanDifferenceKeepsTheLargestErrorNanWhateverFollows() {
        MetricsAccumulator acc = new MetricsAccumulator("logits");
        acc.add(new long[] {1, 4}, new float[] {0, 0, 0, 0}, new float[] {1, Float.NaN, 7, 2});
        assertThat(acc.result().maxAbsError()).isNaN();

        MetricsAccumulator finite = new MetricsAccumulator("logits");
        finite.add(new long[] {1, 4}, new float[] {0, 0, 0, 0}, new float[] {1, -9, 7, 2});
        assertThat(finite.result().maxAbsError()).isEqualTo(9.0);
    }
}
