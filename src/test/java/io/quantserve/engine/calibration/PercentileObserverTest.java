package io.quantserve.engine.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PercentileObserverTest {
    /** 100 000 values evenly spaced over [−1, 3): percentiles are known in closed form. */
    private static final float[] UNIFORM = Samples.uniformGrid(100_000, -1, 3);

    /** One histogram bin at magnitude 3 (2^-10 relative) plus float rounding of the grid. */
    private static final float TOLERANCE = 3.1e-3f;

    @Test
    void asymmetricClipsEachTailAtItsPercentile() {
        PercentileObserver o = new PercentileObserver(0.9, true);
        StreamingHistogram stats = Samples.histogram(Samples.split(UNIFORM, 7000));
        // ranks 90 000 from the top and 10 001 from the bottom: −1 + 4·(k − ½)/n
        assertThat(o.range(stats).max()).isCloseTo(-1 + 4 * (90_000 - 0.5f) / 100_000, within(TOLERANCE));
        assertThat(o.range(stats).min()).isCloseTo(-1 + 4 * (10_001 - 0.5f) / 100_000, within(TOLERANCE));
    }

    @Test
    void symmetricClipsTheMagnitudeAndStaysInsideTheData() {
        PercentileObserver o = new PercentileObserver(0.9, false);
        StreamingHistogram stats = Samples.histogram(UNIFORM);
        // P(|x| ≤ t) = (t + 1)/4 for t ≥ 1, so t = 2.6; the negative side ends at the data minimum −1.
        assertThat(o.range(stats).max()).isCloseTo(2.6f, within(TOLERANCE));
        assertThat(o.range(stats).min()).isCloseTo(-1f, within(1e-4f));
    }

    @Test
    void percentileOneIsTheExactMinMax() {
        float[] values = Samples.gaussian(41, 10_000, 1);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        PercentileObserver asym = new PercentileObserver(1.0, true);
        StreamingHistogram asymStats = Samples.histogram(values);
        assertThat(asym.range(asymStats)).isEqualTo(new ClipRange(min, max));
        PercentileObserver sym = new PercentileObserver(1.0, false);
        StreamingHistogram symStats = Samples.histogram(values);
        float t = Math.max(-min, max);
        assertThat(Math.max(-sym.range(symStats).min(), sym.range(symStats).max()))
                .isEqualTo(t);
    }

    @Test
    void refusesPercentilesAtOrBelowOneHalf() {
        assertThatThrownBy(() -> new PercentileObserver(0.5, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PercentileObserver(1.01, true)).isInstanceOf(IllegalArgumentException.class);
    }
}
