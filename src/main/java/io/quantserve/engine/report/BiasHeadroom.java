package io.quantserve.engine.report;

import io.quantserve.engine.quant.LayerQuantization;
import io.quantserve.engine.tensor.Tensor;
import org.jspecify.annotations.Nullable;

/** How much of the INT32 range a layer's quantized bias {@code round(b / (scale_w·scale_d))} uses. */
final class BiasHeadroom {
    private static final double INT32_RANGE = 2147483648.0;

    private BiasHeadroom() {}

    /** The INT32 bias headroom of {@code lq}; null when the layer has no bias. */
    static QualityReport.@Nullable Bias measure(LayerQuantization lq) {
        Tensor bias = lq.bias();
        if (bias == null) return null;
        long maxAbs = 0;
        for (long b : bias.toLongs()) maxAbs = Math.max(maxAbs, Math.abs(b));
        return new QualityReport.Bias(maxAbs, ReportNumbers.rounded(maxAbs / INT32_RANGE));
    }
}
