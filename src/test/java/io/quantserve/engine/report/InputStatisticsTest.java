package io.quantserve.engine.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.quantserve.engine.quant.ActivationParams;
import org.junit.jupiter.api.Test;

class InputStatisticsTest {
    /** scale 0.5, offset -128: levels 0, 0.5, …, 127.5; the quantizer saturates below -0.25 and above 127.75. */
    private static final ActivationParams UNSIGNED = new ActivationParams(0.5f, -128);

    @Test
    void countsOnlyValuesTheQuantizerSaturates() {
        InputStatistics s = new InputStatistics(UNSIGNED);
        s.accept(new float[] {-0.2f, -0.3f, 0f, 64f, 127.5f, 127.7f, 127.8f, 300f, Float.NaN});

        QualityReport.Input r = s.result("unused");
        assertThat(r.status()).isEqualTo("measured");
        assertThat(r.values()).as("NaN is kept out").isEqualTo(8);
        assertThat(r.below())
                .as("-0.3 is beyond half a step below 0; -0.2 rounds to 0")
                .isEqualTo(1);
        assertThat(r.above()).as("127.8 and 300").isEqualTo(2);
        assertThat(r.clipRatio()).isEqualTo(3 / 8.0);
        assertThat(r.observedMin()).isEqualTo(-0.3f, within(1e-6));
        assertThat(r.observedMax()).isEqualTo(300.0);
        assertThat(s.sawNonFinite()).isTrue();
        long sum = 0;
        for (long c : r.histogram().counts()) sum += c;
        assertThat(sum).isEqualTo(8);
        assertThat(r.histogram().lo()).isLessThanOrEqualTo(-0.3);
        assertThat(r.histogram().hi()).isGreaterThanOrEqualTo(300.0);
    }

    @Test
    void clipRangeIsTheRepresentableRange() {
        assertThat(InputStatistics.clipMin(UNSIGNED)).isZero();
        assertThat(InputStatistics.clipMax(UNSIGNED)).isEqualTo(127.5);
        ActivationParams symmetric = new ActivationParams(0.25f, 0);
        assertThat(InputStatistics.clipMin(symmetric)).isEqualTo(-32.0);
        assertThat(InputStatistics.clipMax(symmetric)).isEqualTo(31.75);
    }

    @Test
    void withoutValuesTheInputIsNotMeasured() {
        QualityReport.Input r = new InputStatistics(UNSIGNED).result("no data given");
        assertThat(r.status()).isEqualTo("not measured: no data given");
        assertThat(r.clipRatio()).isNull();
        assertThat(r.histogram()).isNull();
    }
}
