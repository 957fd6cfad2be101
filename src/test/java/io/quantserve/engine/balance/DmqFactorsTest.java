package io.quantserve.engine.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.layers.LayerType;
import io.quantserve.engine.layers.QuantizableLayer;
import io.quantserve.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DmqFactorsTest {
    @Test
    void factorIsThePowerOfTwoNearestToTheBalanceFormula() {
        // 64^0.5 / 0.25^0.5 = 16
        assertThat(DmqFactors.factor(64f, 0.25f, 0.5)).isEqualTo(16f);
        // 100^0.5 / 1 = 10 -> log2 3.32 -> 8
        assertThat(DmqFactors.factor(100f, 1f, 0.5)).isEqualTo(8f);
        // 100^0.75 / 0.5^0.25 = 37.6 -> log2 5.23 -> 32
        assertThat(DmqFactors.factor(100f, 0.5f, 0.75)).isEqualTo(32f);
        // small activations are scaled up: 0.01^0.5 / 1 = 0.1 -> log2 -3.32 -> 1/8
        assertThat(DmqFactors.factor(0.01f, 1f, 0.5)).isEqualTo(0.125f);
    }

    @Test
    void deadChannelsKeepFactorOneAndExtremesAreClamped() {
        assertThat(DmqFactors.factor(0f, 1f, 0.5)).isEqualTo(1f);
        assertThat(DmqFactors.factor(5f, 0f, 0.5)).isEqualTo(1f);
        assertThat(DmqFactors.factor(1e30f, 1e-30f, 0.5)).isEqualTo(Math.scalb(1f, 23));
        assertThat(DmqFactors.factor(1e-30f, 1e30f, 0.5)).isEqualTo(Math.scalb(1f, -23));
    }

    @Test
    void weightMaximaAreTakenPerInputChannelOfTheLayout() {
        // MatMul [K=2, N=3]: input channel 0 is row 0 (max 0.5), channel 1 row 1 (max 4)
        QuantizableLayer matmul =
                new QuantizableLayer("mm", LayerType.MATMUL, "", "x", "w", null, new long[] {2, 3}, 1, false);
        Tensor w = Tensor.ofFloats(new long[] {2, 3}, new float[] {0.5f, -0.25f, 0.1f, 1f, -4f, 2f});
        float[] f = DmqFactors.compute(matmul, w, new float[] {8f, 4f}, 0.5);
        // sqrt(8/0.5) = 4; sqrt(4/4) = 1
        assertThat(f).containsExactly(4f, 1f);
    }
}
