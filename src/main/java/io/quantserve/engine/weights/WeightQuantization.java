package io.quantserve.engine.weights;

import io.quantserve.engine.tensor.Tensor;

/**
 * ARQ result for one weight: {@code scales} ({@code scale_w}, one per output channel or one) and the INT8 tensor
 * {@code q = round_half_even(w / scale_w[c])} in [-127, 127], same shape as the float weight.
 */
public record WeightQuantization(float[] scales, Tensor int8) {
    public WeightQuantization {
        scales = scales.clone();
    }

    @Override
    public float[] scales() {
        return scales.clone();
    }
}
