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
 * @param balanceFactors DMQ {@code tensor_balance_factor} of the layer (one per input channel), empty when it is not
 *     balanced; for the record only, the float model already carries the balancing
 */
public record LayerQuantization(
        QuantizableLayer layer,
        ActivationParams activation,
        float[] weightScales,
        @Nullable Tensor weight,
        @Nullable Tensor bias,
        float[] balanceFactors) {

    public LayerQuantization {
        weightScales = weightScales.clone();
        balanceFactors = balanceFactors.clone();
    }

    /** A quantized layer without DMQ balancing. */
    public LayerQuantization(
            QuantizableLayer layer,
            ActivationParams activation,
            float[] weightScales,
            @Nullable Tensor weight,
            @Nullable Tensor bias) {
        this(layer, activation, weightScales, weight, bias, new float[0]);
    }

    @Override
    public float[] weightScales() {
        return weightScales.clone();
    }

    @Override
    public float[] balanceFactors() {
        return balanceFactors.clone();
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
