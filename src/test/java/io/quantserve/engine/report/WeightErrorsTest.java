package io.quantserve.engine.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.quantserve.engine.layers.LayerType;
import io.quantserve.engine.layers.QuantizableLayer;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.quant.ActivationParams;
import io.quantserve.engine.quant.LayerQuantization;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.TinyModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Weight error and bias headroom against values worked out by hand. */
class WeightErrorsTest {
    private static final QuantizableLayer MATMUL =
            new QuantizableLayer("mm", LayerType.MATMUL, "", "x", "w", null, new long[] {2, 2}, 1, false);

    private static OnnxModel model(float... w) {
        return TinyModel.create()
                .input("x", DataType.FLOAT, 1, 2)
                .initializer("w", Tensor.ofFloats(new long[] {2, 2}, w))
                .namedNode("mm", "MatMul", List.of("x", "w"), List.of("y"))
                .output("y", DataType.FLOAT, 1, 2)
                .build();
    }

    @Test
    void perTensorScaleErrorIsMeasuredPerOutputColumn() {
        // W = [[1, 0.5], [0.26, -1]] stored [K, N]; channel = column. scale_w = 0.5: q = [[2, 1], [1, -2]], so
        // q·s = [[1, 0.5], [0.5, -1]]: column 0 misses 0.24 on 0.26, column 1 is exact.
        OnnxModel m = model(1f, 0.5f, 0.26f, -1f);
        LayerQuantization lq = new LayerQuantization(
                MATMUL,
                new ActivationParams(0.01f, 0),
                new float[] {0.5f},
                Tensor.ofInt8(new long[] {2, 2}, new byte[] {2, 1, 1, -2}),
                null);

        QualityReport.Weight w = WeightErrors.measure(m, lq);

        assertThat(w.channels()).isEqualTo(2);
        assertThat(w.zeroChannels()).isZero();
        assertThat(w.scaleW()).isEqualTo(new QualityReport.ScaleSummary(1, 0.5f, 0.5f));
        double e = 0.26 - 0.5;
        double signal0 = 1 + 0.26 * 0.26;
        assertThat(w.worstChannel()).isZero();
        assertThat(w.worstChannelSqnrDb()).isCloseTo(10 * Math.log10(signal0 / (e * e)), within(1e-4));
        assertThat(w.sqnrDb()).isCloseTo(10 * Math.log10((signal0 + 1 + 0.25) / (e * e)), within(1e-4));
        assertThat(w.maxRelError()).isCloseTo(0.24, within(1e-6));
        assertThat(w.meanRelError()).isCloseTo(0.24 / 2.76, within(1e-6));
        assertThat(BiasHeadroom.measure(lq)).isNull();
    }

    @Test
    void zeroChannelsAreCountedAndLeftOutOfTheWorstChannel() {
        OnnxModel m = model(0f, 0.5f, 0f, -1f);
        LayerQuantization lq = new LayerQuantization(
                MATMUL,
                new ActivationParams(0.01f, 0),
                new float[] {1f, 1f / 127},
                Tensor.ofInt8(new long[] {2, 2}, new byte[] {0, 64, 0, -127}),
                Tensor.ofInts(new long[] {2}, new int[] {-1 << 30, 7}));

        QualityReport.Weight w = WeightErrors.measure(m, lq);

        assertThat(w.zeroChannels()).isEqualTo(1);
        assertThat(w.worstChannel()).isEqualTo(1);
        assertThat(w.scaleW().count()).isEqualTo(2);
        QualityReport.Bias b = BiasHeadroom.measure(lq);
        assertThat(b.maxAbsInt32()).isEqualTo(1L << 30);
        assertThat(b.int32RangeUsed()).isEqualTo(0.5);
    }
}
