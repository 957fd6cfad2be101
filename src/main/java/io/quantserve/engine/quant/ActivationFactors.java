package io.quantserve.engine.quant;

import io.quantserve.engine.LayerQuantizationException;
import io.quantserve.engine.calibration.ClipRange;

/**
 * Turns a clip range into AMCT's {@code scale_d}/{@code offset_d} (AMCT-REFERENCE "Numerics"). The range is first
 * extended to contain 0. Asymmetric: {@code s = (max − min)/255}, {@code o = −round(min/s) − 128}; symmetric:
 * {@code s = max(|min|, |max|)/127}, {@code o = 0}. A scale below {@code FLT_EPSILON} (a layer input that was
 * always 0) becomes 1.0 as in AMCT; a scale above {@code 1/FLT_EPSILON} is a degenerate range and an error.
 */
public final class ActivationFactors {
    private static final float FLT_EPSILON = Math.ulp(1.0f);

    private ActivationFactors() {}

    public static ActivationParams compute(String layer, ClipRange range, boolean asymmetric) {
        double min = Math.min(range.min(), 0f);
        double max = Math.max(range.max(), 0f);
        float scale;
        int offset;
        if (asymmetric) {
            scale = (float) ((max - min) / 255.0);
            offset = scale < FLT_EPSILON ? 0 : (int) (-Math.rint(min / scale) - 128);
        } else {
            scale = (float) (Math.max(Math.abs(min), Math.abs(max)) / 127.0);
            offset = 0;
        }
        if (!Float.isFinite(scale) || scale > 1 / FLT_EPSILON) {
            throw new LayerQuantizationException(
                    "degenerate-range",
                    layer,
                    "activation range [" + min + ", " + max + "] gives scale_d " + scale
                            + " outside [FLT_EPSILON, 1/FLT_EPSILON]; add the layer to skip_layers");
        }
        if (scale < FLT_EPSILON) {
            scale = 1.0f;
            offset = 0;
        }
        offset = Math.max(-128, Math.min(127, offset));
        return new ActivationParams(scale, offset);
    }
}
