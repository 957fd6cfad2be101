package io.quantserve.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.report.QualityReport.Flag;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerFlagsTest {
    private static final QualityReport.Activation ACT = new QualityReport.Activation(0.01f, 0, -1.28, 1.27);
    private static final QualityReport.Weight WEIGHT = new QualityReport.Weight(
            new QualityReport.ScaleSummary(2, 0.001f, 0.002f), 2, 0, 48.0, 1, 47.0, 0.0039, 0.003);
    private static final QualityReport.Bias BIAS = new QualityReport.Bias(1000, 4.65661e-7);

    private static QualityReport.Input input(double clipRatio, double min, double max) {
        return new QualityReport.Input("measured", 100, clipRatio, 0, 0, min, max, null);
    }

    @Test
    void aHealthyLayerHasNoFlag() {
        assertThat(LayerFlags.of(ACT, WEIGHT, BIAS, input(0.005, -1.0, 1.2), false))
                .isEmpty();
    }

    @Test
    void eachRuleRaisesItsFlag() {
        assertThat(LayerFlags.of(new QualityReport.Activation(1f, 0, -128, 127), null, null, input(0, 0, 0), false))
                .containsExactly(Flag.UNIT_SCALE_D);
        assertThat(LayerFlags.of(ACT, WEIGHT, BIAS, input(0.011, -1.0, 1.2), false))
                .containsExactly(Flag.HIGH_CLIP_RATIO);
        assertThat(LayerFlags.of(ACT, WEIGHT, BIAS, input(0, -0.05, 0.1), false))
                .as("[−0.05, 0.1] spans 15 steps of 0.01")
                .containsExactly(Flag.FEW_LEVELS_USED);
        QualityReport.Weight zero = new QualityReport.Weight(
                new QualityReport.ScaleSummary(2, 0.001f, 1f), 2, 1, 48.0, 1, 47.0, 0.0039, 0.003);
        assertThat(LayerFlags.of(ACT, zero, BIAS, input(0, -1, 1), false)).containsExactly(Flag.ZERO_WEIGHT_CHANNEL);
        assertThat(LayerFlags.of(
                        ACT, WEIGHT, new QualityReport.Bias(1_073_742_000L, 0.5000001), input(0, -1, 1), false))
                .containsExactly(Flag.BIAS_NEAR_INT32_LIMIT);
        assertThat(LayerFlags.of(ACT, WEIGHT, BIAS, input(0, -1, 1), true)).containsExactly(Flag.NON_FINITE_VALUES);
    }

    @Test
    void flagsAreWrittenByTheirCodes() {
        assertThat(ReportJson.write(ReportSamples.report(List.of(ReportSamples.layer(0, "a", 40.0, 39.0)))))
                .contains("\"flags\" : [ ]");
        assertThat(Flag.HIGH_CLIP_RATIO.code()).isEqualTo("clip-ratio-above-1-percent");
    }
}
