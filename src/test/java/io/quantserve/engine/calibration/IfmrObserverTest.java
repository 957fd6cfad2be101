package io.quantserve.engine.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IfmrObserverTest {
    static final IfmrObserver.Search AMCT = new IfmrObserver.Search(0.999999, 0.999999, 0.7, 1.3, 0.01);
    /** Percentiles that cut inside the data (ranks 19 960 and 101 of 20 000), so in-bin interpolation matters. */
    static final IfmrObserver.Search INNER = new IfmrObserver.Search(0.998, 0.995, 0.5, 1.5, 0.01);

    /** Stated tolerance of the histogram IFMR against the exact one: 0.5 % on the scale and on the MSE. */
    static final double TOLERANCE = 0.005;

    static Stream<Arguments> distributions() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (IfmrObserver.Search s : List.of(AMCT, INNER)) {
            for (boolean asym : List.of(false, true)) {
                String p = s == AMCT ? "amct" : "inner";
                b.add(Arguments.of("gaussian", p, Samples.gaussian(1, 20_000, 2.5), s, asym));
                b.add(Arguments.of("laplace", p, Samples.laplace(2, 20_000, 0.7), s, asym));
                b.add(Arguments.of("relu", p, Samples.reluLike(3, 20_000), s, asym));
                b.add(Arguments.of("constant", p, Samples.constant(20_000, 3.7f), s, asym));
                b.add(Arguments.of("outlier", p, Samples.singleOutlier(4, 20_000, 1000f), s, asym));
                b.add(Arguments.of("uniform", p, Samples.uniformGrid(20_000, -1, 3), s, asym));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0}, {1} percentiles, asymmetric {4}")
    @MethodSource("distributions")
    void histogramIfmrAgreesWithTheKeepEverythingOne(
            String name, String percentiles, float[] values, IfmrObserver.Search search, boolean asymmetric) {
        ClipRange exact = ExactIfmr.range(values, search, asymmetric);
        IfmrObserver observer = new IfmrObserver(search, asymmetric);
        StreamingHistogram observerStats = Samples.histogram(Samples.split(values, 3000));
        ClipRange got = observer.range(observerStats);

        float exactScale = Int8Grid.of(exact, asymmetric).scale();
        float gotScale = Int8Grid.of(got, asymmetric).scale();
        assertThat(Math.abs((double) gotScale / exactScale - 1))
                .as("scale %s vs exact %s (ranges %s, %s)", gotScale, exactScale, got, exact)
                .isLessThanOrEqualTo(TOLERANCE);
        double exactMse = ExactIfmr.squaredError(values, exact, asymmetric);
        double gotMse = ExactIfmr.squaredError(values, got, asymmetric);
        assertThat(gotMse).as("MSE on the data").isLessThanOrEqualTo(exactMse * (1 + TOLERANCE) + 1e-12);
        assertThat(got.min()).isLessThanOrEqualTo(0f);
        assertThat(got.max()).isGreaterThanOrEqualTo(0f);
    }

    @Test
    void defaultSearchTriesAmctsSixtyRatios() {
        assertThat(AMCT.candidates()).isEqualTo(60);
        assertThat(AMCT.ratio(0)).isEqualTo(0.7);
        assertThat(AMCT.ratio(59)).isCloseTo(1.29, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(new IfmrObserver.Search(1, 1, 0.5, 1.0, 0.25).candidates()).isEqualTo(2);
    }

    @Test
    void theSearchClipsAHeavyTailBelowItsMaximum() {
        // Laplace(b = 1): the 8-bit MSE-optimal symmetric clip is about 9.9·b (Banner et al., ACIQ), while the
        // maximum of 50 000 samples is about 12·b; IFMR (percentile 0.999999 = the maximum here) must move inward.
        float[] values = Samples.laplace(5, 50_000, 1.0);
        IfmrObserver o = new IfmrObserver(AMCT, false);
        StreamingHistogram stats = Samples.histogram(values);
        ClipRange r = o.range(stats);
        float maxAbs = 0;
        for (float v : values) maxAbs = Math.max(maxAbs, Math.abs(v));
        float clip = Math.max(-r.min(), r.max());
        assertThat(clip).isLessThan(0.95f * maxAbs).isGreaterThanOrEqualTo(0.69f * maxAbs);
        assertThat(clip).isBetween(8.5f, 11.5f);
    }

    @Test
    void bothBoundsScaleForAsymmetricLayers() {
        // With fewer than 1/(1 − 0.999999) values the initial clips are the extremes; both move by the same ratio.
        float[] values = Samples.laplace(6, 50_000, 1.0);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        IfmrObserver o = new IfmrObserver(AMCT, true);
        StreamingHistogram stats = Samples.histogram(values);
        double lowerRatio = o.range(stats).min() / (double) min;
        double upperRatio = o.range(stats).max() / (double) max;
        assertThat(lowerRatio).isLessThan(0.99).isCloseTo(upperRatio, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void degenerateInputGivesAValidRange() {
        IfmrObserver zeros = new IfmrObserver(AMCT, true);
        StreamingHistogram zerosStats = Samples.histogram(new float[1000]);
        assertThat(zeros.range(zerosStats)).isEqualTo(new ClipRange(0f, 0f));
        IfmrObserver none = new IfmrObserver(AMCT, false);
        StreamingHistogram noneStats = Samples.histogram(new float[0]);
        assertThat(none.range(noneStats)).isEqualTo(new ClipRange(0f, 0f));
        IfmrObserver negative = new IfmrObserver(AMCT, true);
        StreamingHistogram negativeStats = Samples.histogram(Samples.constant(100, -2f));
        assertThat(negative.range(negativeStats).max()).isZero();
        assertThat(negative.range(negativeStats).min()).isLessThan(0f);
    }

    @Test
    void searchRejectsInvalidParameters() {
        assertThatThrownBy(() -> new IfmrObserver.Search(0.4, 0.99, 0.7, 1.3, 0.01))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IfmrObserver.Search(0.99, 0.99, 1.3, 0.7, 0.01))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IfmrObserver.Search(0.99, 0.99, 0.7, 1.3, 1e-6))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
