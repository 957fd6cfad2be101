package io.quantserve.engine.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HfmgObserverTest {
    @Test
    void uniformDataKeepsAlmostTheWholeRange() {
        // Uniform on [−1, 3]: clipping costs more than the rounding it saves until about 0.2 % of the range.
        float[] values = Samples.uniformGrid(200_000, -1, 3);
        HfmgObserver o = new HfmgObserver(2048, true);
        StreamingHistogram stats = Samples.histogram(values);
        ClipRange r = o.range(stats);
        assertThat(r.min()).isBetween(-1.0f, -0.99f);
        assertThat(r.max()).isBetween(2.98f, 3.0f);
    }

    @Test
    void outliersAreClippedAway() {
        // L2 keeps an outlier unless enough values gain from the finer step: with 10^6 values of N(0, 1), clipping
        // at 5 costs about 25² per outlier but saves (30/127)²/12 − (5/127)²/12 per value, about 4500 in all.
        float[] values = Samples.gaussian(31, 1_000_000, 1);
        values[10] = 30f;
        values[20] = -25f;
        for (boolean asymmetric : new boolean[] {false, true}) {
            HfmgObserver o = new HfmgObserver(4096, asymmetric);
            StreamingHistogram stats = Samples.histogram(values);
            ClipRange r = o.range(stats);
            assertThat(r.max()).as("asymmetric %s: %s", asymmetric, r).isBetween(3f, 12f);
            assertThat(r.min()).as("asymmetric %s: %s", asymmetric, r).isBetween(-12f, -3f);
        }
    }

    @Test
    void estimatedErrorPicksANearlyOptimalThreshold() {
        // One-sided (ReLU) asymmetric and symmetric Laplace: compare with the exact error of every grid window.
        checkAgainstBruteForce(Samples.reluLike(32, 20_000), true);
        checkAgainstBruteForce(Samples.laplace(33, 20_000, 0.5), false);
        checkAgainstBruteForce(Samples.gaussian(34, 20_000, 1.5), false);
    }

    private static void checkAgainstBruteForce(float[] values, boolean asymmetric) {
        int bins = 1024;
        HfmgObserver o = new HfmgObserver(bins, asymmetric);
        StreamingHistogram stats = Samples.histogram(values);
        ClipRange chosen = o.range(stats);
        double maxAbs = 0;
        double max = 0;
        double min = 0;
        for (float v : values) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        double best = Double.POSITIVE_INFINITY;
        for (int j = 1; j <= bins; j++) {
            ClipRange window = asymmetric
                    ? new ClipRange(0f, (float) (j * (max - min) / bins))
                    : new ClipRange((float) (-j * maxAbs / bins), (float) (j * maxAbs / bins));
            best = Math.min(best, ExactIfmr.squaredError(values, window, asymmetric));
        }
        double got = ExactIfmr.squaredError(values, chosen, asymmetric);
        assertThat(got).as("exact error of %s vs best grid window", chosen).isLessThanOrEqualTo(best * 1.03);
    }

    @Test
    void asymmetricWindowIsNearlyOptimalAmongAllGridWindows() {
        float[] values = Samples.laplace(36, 20_000, 1.0);
        values[0] = 25f;
        int bins = 128;
        HfmgObserver o = new HfmgObserver(bins, true);
        StreamingHistogram stats = Samples.histogram(values);
        ClipRange chosen = o.range(stats);
        double min = 0;
        double max = 0;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double w = (max - min) / bins;
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; min + i * w <= 0; i++) {
            for (int j = bins; min + j * w >= 0 && j > i; j--) {
                ClipRange window = new ClipRange((float) (min + i * w), (float) (min + j * w));
                best = Math.min(best, ExactIfmr.squaredError(values, window, true));
            }
        }
        double got = ExactIfmr.squaredError(values, chosen, true);
        assertThat(got).as("exact error of %s vs best grid window", chosen).isLessThanOrEqualTo(best * 1.03);
    }

    @Test
    void symmetricRangeStaysInsideTheData() {
        float[] values = Samples.reluLike(35, 50_000);
        HfmgObserver o = new HfmgObserver(1024, false);
        StreamingHistogram stats = Samples.histogram(values);
        assertThat(o.range(stats).min()).isZero();
        assertThat(o.range(stats).max()).isGreaterThan(2f);
    }

    @Test
    void refusesAnEmptyGrid() {
        assertThatThrownBy(() -> new HfmgObserver(0, true)).isInstanceOf(IllegalArgumentException.class);
    }
}
