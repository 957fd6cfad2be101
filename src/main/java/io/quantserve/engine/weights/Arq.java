package io.quantserve.engine.weights;

import io.quantserve.engine.LayerQuantizationException;
import io.quantserve.engine.layers.QuantizableLayer;
import io.quantserve.engine.tensor.Tensor;

/**
 * AMCT's ARQ weight quantization: symmetric INT8, {@code scale_w = max|W| / 127} per output channel (or per
 * tensor), {@code q = round_half_even(W / scale_w)}. A scale below {@code FLT_EPSILON} (an all-zero channel) becomes
 * 1.0, as in AMCT, so zero weights stay exactly zero.
 */
public final class Arq {
    private static final float FLT_EPSILON = Math.ulp(1.0f);

    private Arq() {}

    public static WeightQuantization quantize(QuantizableLayer layer, Tensor weight, boolean channelWise) {
        float[] w = weight.toFloats();
        ChannelLayout layout = new ChannelLayout(layer);
        int channels = channelWise ? layout.channels() : 1;
        float[] maxAbs = new float[channels];
        for (int i = 0; i < w.length; i++) {
            if (!Float.isFinite(w[i])) {
                throw new LayerQuantizationException(
                        "non-finite-weight", layer.name(), "weight '" + layer.weight() + "' holds NaN or inf at " + i);
            }
            int c = channelWise ? layout.channelOf(i) : 0;
            maxAbs[c] = Math.max(maxAbs[c], Math.abs(w[i]));
        }
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            float s = maxAbs[c] / 127f;
            scales[c] = s < FLT_EPSILON ? 1.0f : s;
        }
        return new WeightQuantization(scales, quantizeWith(layer, w, weight.shape(), scales));
    }

    /** Quantizes {@code w} with given scales (used again when a bias policy enlarges a channel's scale). */
    public static Tensor quantizeWith(QuantizableLayer layer, float[] w, long[] shape, float[] scales) {
        ChannelLayout layout = new ChannelLayout(layer);
        byte[] q = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            float s = scales.length == 1 ? scales[0] : scales[layout.channelOf(i)];
            double v = Math.rint(w[i] / s);
            q[i] = (byte) Math.max(-127, Math.min(127, v));
        }
        return Tensor.ofInt8(shape, q);
    }

    /** {@code q · scale_w}: the weight as the quantized layer sees it, in the float layout. */
    public static Tensor dequantize(QuantizableLayer layer, WeightQuantization wq) {
        ChannelLayout layout = new ChannelLayout(layer);
        float[] s = wq.scales();
        byte[] q = wq.int8().bytes();
        float[] out = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            out[i] = q[i] * (s.length == 1 ? s[0] : s[layout.channelOf(i)]);
        }
        return Tensor.ofFloats(wq.int8().shape(), out);
    }
}
