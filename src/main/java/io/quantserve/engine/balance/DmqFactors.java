package io.quantserve.engine.balance;

import io.quantserve.engine.layers.QuantizableLayer;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.engine.weights.InputChannelLayout;

/**
 * AMCT's DMQ balance factors ({@code tensor_balance_factor}): for input channel {@code j} of a layer,
 * {@code s_j = max|x_j|^α / max|W_j|^(1−α)}, where {@code x_j} is the channel of the layer's data input over the
 * calibration data, {@code W_j} every weight element that channel meets ({@link InputChannelLayout}) and α the
 * migration strength {@code dmq_balancer_param}. The balanced layer reads {@code x_j / s_j} with weight
 * {@code W_j · s_j}: the activation range shrinks where it was large, the weight absorbs it.
 *
 * <p>Two choices of ours: each factor is rounded to the nearest power of two (in log scale), which makes the
 * rewrite bit-exact in float (scaling by {@code 2^k} only changes the exponent, so the balanced model computes the
 * same products as the original) at the cost of a balance off by at most a factor of √2, well inside what α tunes;
 * and a channel whose activation or weight is all zero gets factor 1 (there is nothing to balance, and the formula
 * would divide by zero). Factors are clamped to {@code [2^-23, 2^23]}, inside AMCT's accepted range
 * {@code [FLT_EPSILON, 1/FLT_EPSILON]}.
 */
public final class DmqFactors {
    /** Largest binary exponent of a factor: {@code 2^23 = 1/FLT_EPSILON}. */
    static final int MAX_EXPONENT = 23;

    private DmqFactors() {}

    /**
     * @param layer the layer (weight layout)
     * @param weight its float weight
     * @param inputAbsMax {@code max|x_j|} per input channel, from the calibration pre-pass
     * @param alpha {@code dmq_balancer_param}, in (0, 1)
     * @return one power-of-two factor per input channel
     */
    public static float[] compute(QuantizableLayer layer, Tensor weight, float[] inputAbsMax, double alpha) {
        InputChannelLayout layout = new InputChannelLayout(layer);
        int channels = layout.channels();
        if (inputAbsMax.length != channels) {
            throw new IllegalArgumentException("layer '" + layer.name() + "': " + inputAbsMax.length
                    + " input channel maxima for " + channels + " input channels");
        }
        float[] w = weight.toFloats();
        float[] weightAbsMax = new float[channels];
        for (int i = 0; i < w.length; i++) {
            int c = layout.channelOf(i);
            weightAbsMax[c] = Math.max(weightAbsMax[c], Math.abs(w[i]));
        }
        float[] out = new float[channels];
        for (int c = 0; c < channels; c++) {
            out[c] = factor(inputAbsMax[c], weightAbsMax[c], alpha);
        }
        return out;
    }

    /** One factor: {@code a^α / w^(1−α)} rounded to a power of two; 1 when either maximum is 0 or not finite. */
    static float factor(float activationMax, float weightMax, double alpha) {
        if (!(activationMax > 0) || !(weightMax > 0) || !Float.isFinite(activationMax) || !Float.isFinite(weightMax)) {
            return 1f;
        }
        double log2 = alpha * Math.log(activationMax) / Math.log(2) - (1 - alpha) * Math.log(weightMax) / Math.log(2);
        long exponent = Math.round(log2);
        exponent = Math.max(-MAX_EXPONENT, Math.min(MAX_EXPONENT, exponent));
        return Math.scalb(1f, (int) exponent);
    }
}
