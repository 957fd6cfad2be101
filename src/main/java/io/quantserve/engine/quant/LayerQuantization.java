package io.quantserve.engine.quant;

import io.quantserve.engine.layers.QuantizableLayer;
import io.quantserve.engine.tensor.Tensor;
import org.jspecify.annotations.Nullable;

/**
 * Everything the exporters need for one quantized layer.
 *
 * @param layer the layer (names of its data input, weight and bias in the fused model)
 * @param activation factors of the data input
 * @param weightScales {@code scale_w}: one per output channel, or one for a per-tensor layer; {@code [1]} for
 *     AveragePool
 * @param weight INT8 weight in the layer's own layout (same shape as the float weight); null for AveragePool
 * @param bias INT32 bias, {@code round(b / (scale_w[c] * scale_d))}, one per output channel; null when absent
 */
public record LayerQuantization(
        QuantizableLayer layer,
        ActivationParams activation,
        float[] weightScales,
        @Nullable Tensor weight,
        @Nullable Tensor bias) {

    public LayerQuantization {
        weightScales = weightScales.clone();
    }

    @Override
    public float[] weightScales() {
        return weightScales.clone();
    }

    public boolean channelWise() {
        return weightScales.length > 1;
    }

    /**
     * {@code deq_scale[c] = scale_d * scale_w[c]} computed in float32, as the deploy model stores it and the
     * fake-quant model multiplies by it.
     */
    public float[] deqScales() {
        float[] out = new float[weightScales.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = activation.scale() * weightScales[i];
        }
        return out;
    }
}
