package io.quantserve.engine.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What every observer promises: split-independent ranges, valid ranges on degenerate input, bounded state. */
class ObserverContractTest {
    static Stream<Arguments> observers() {
        IfmrObserver.Search amct = new IfmrObserver.Search(0.999999, 0.999999, 0.7, 1.3, 0.01);
        IfmrObserver.Search inner = new IfmrObserver.Search(0.999, 0.99, 0.7, 1.3, 0.01);
        return Stream.of(
                Arguments.of("ifmr symmetric", (Supplier<ActivationObserver>) () -> new IfmrObserver(amct, false)),
                Arguments.of("ifmr asymmetric", (Supplier<ActivationObserver>) () -> new IfmrObserver(inner, true)),
                Arguments.of("hfmg symmetric", (Supplier<ActivationObserver>) () -> new HfmgObserver(1024, false)),
                Arguments.of("hfmg asymmetric", (Supplier<ActivationObserver>) () -> new HfmgObserver(1024, true)),
                Arguments.of("percentile symmetric", (Supplier<ActivationObserver>)
                        () -> new PercentileObserver(0.999, false)),
                Arguments.of("percentile asymmetric", (Supplier<ActivationObserver>)
                        () -> new PercentileObserver(0.999, true)),
                Arguments.of("kl", (Supplier<ActivationObserver>) () -> new KlObserver(2048)),
                Arguments.of("minmax", (Supplier<ActivationObserver>) MinMaxObserver::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("observers")
    void rangeDoesNotDependOnHowTheValuesAreSplit(String name, Supplier<ActivationObserver> factory) {
        for (float[] values : List.of(
                Samples.laplace(21, 60_000, 0.3),
                Samples.reluLike(22, 60_000),
                Samples.singleOutlier(23, 60_000, -80f))) {
            ClipRange whole = rangeOf(factory, List.of(values));
            for (List<float[]> batches : List.of(
                    Samples.split(values, 1), Samples.split(values, 7, 4096, 0), Samples.randomSplit(values, 5))) {
                ClipRange split = rangeOf(factory, batches);
                assertThat(Float.floatToRawIntBits(split.min())).isEqualTo(Float.floatToRawIntBits(whole.min()));
                assertThat(Float.floatToRawIntBits(split.max())).isEqualTo(Float.floatToRawIntBits(whole.max()));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("observers")
    void degenerateInputGivesAValidRangeHoldingTheData(String name, Supplier<ActivationObserver> factory) {
        assertThat(rangeOf(factory, List.of(new float[0]))).isEqualTo(new ClipRange(0f, 0f));
        assertThat(rangeOf(factory, List.of(new float[500]))).isEqualTo(new ClipRange(0f, 0f));
        for (float c : new float[] {2.5f, -0.75f, 1e-30f, 3e38f}) {
            ClipRange r = rangeOf(factory, List.of(Samples.constant(500, c)));
            float magnitude = Math.max(Math.abs(r.min()), Math.abs(r.max()));
            assertThat(magnitude).as("range %s for constant %s", r, c).isGreaterThan(0f);
            assertThat(magnitude).isLessThanOrEqualTo(Math.abs(c) * 1.3f + Float.MIN_VALUE);
        }
    }

    private static ClipRange rangeOf(Supplier<ActivationObserver> factory, List<float[]> batches) {
        return factory.get().range(Samples.histogram(batches));
    }
}
