package io.quantserve.engine.weights;

import io.quantserve.engine.LayerQuantizationException;
import io.quantserve.engine.layers.QuantizableLayer;
import io.quantserve.engine.tensor.Tensor;
import java.util.Optional;

/**
 * INT32 bias: {@code b_q[c] = round_half_even(b[c] / (scale_w[c] · scale_d))}, computed in double and checked
 * against the INT32 range under a {@link BiasOverflowPolicy}. A one-element bias (Gemm's broadcast C) is expanded to
 * one value per output channel.
 */
public final class BiasQuantizer {
    private static final double INT32_MAX = Integer.MAX_VALUE;

    private BiasQuantizer() {}

    /**
     * Result: the INT32 bias and the weight scales actually used (changed only by {@link
     * BiasOverflowPolicy#ADJUST_WEIGHT_SCALE}), or empty when the layer must stay float ({@link
     * BiasOverflowPolicy#SKIP_LAYER}).
     */
    public record Result(Tensor bias, float[] weightScales, boolean adjusted) {}

    public static Optional<Result> quantize(
            QuantizableLayer layer, Tensor floatBias, float[] weightScales, float scaleD, BiasOverflowPolicy policy) {
        int channels = Math.toIntExact(layer.outputChannels());
        float[] b = floatBias.toFloats();
        float[] s = weightScales.clone();
        int[] q = new int[channels];
        boolean adjusted = false;
        for (int c = 0; c < channels; c++) {
            float bc = b.length == 1 ? b[0] : b[c];
            if (!Float.isFinite(bc)) {
                throw new LayerQuantizationException(
                        "non-finite-bias", layer.name(), "bias '" + layer.bias() + "' holds NaN or inf");
            }
            int sc = s.length == 1 ? 0 : c;
            double v = Math.rint(bc / ((double) s[sc] * scaleD));
            if (Math.abs(v) > INT32_MAX) {
                switch (policy) {
                    case FAIL ->
                        throw new LayerQuantizationException(
                                "bias-overflow",
                                layer.name(),
                                "INT32 bias overflow in channel " + c + " (b=" + bc + ", scale_w=" + s[sc]
                                        + ", scale_d=" + scaleD + "); add the layer to skip_layers or choose the"
                                        + " bias_overflow_policy adjust_weight_scale or skip_layer");
                    case SKIP_LAYER -> {
                        return Optional.empty();
                    }
                    case ADJUST_WEIGHT_SCALE -> {
                        // Smallest scale that brings |b| / (s·scale_d) within INT32, with a little margin.
                        s[sc] = (float) (Math.abs(bc) / (INT32_MAX * scaleD) * (1 + 1e-6));
                        v = Math.rint(bc / ((double) s[sc] * scaleD));
                        adjusted = true;
                    }
                }
            }
            q[c] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
        }
        if (adjusted && s.length == 1) {
            // Per-tensor scale changed: every channel must be recomputed with the final scale.
            for (int c = 0; c < channels; c++) {
                float bc = b.length == 1 ? b[0] : b[c];
                q[c] = (int) Math.rint(bc / ((double) s[0] * scaleD));
            }
        }
        return Optional.of(new Result(Tensor.ofInts(new long[] {channels}, q), s, adjusted));
    }
}
