package io.quantserve.engine.quant;

/**
 * AMCT activation quantization factors of one layer input ({@code scale_d}, {@code offset_d} of the record).
 * Quantize: {@code q = clamp(round_half_even(x * (1/scale)) + offset, -128, 127)}; dequantize
 * {@code (q - offset) * scale}.
 *
 * @param scale step size in input units, finite and &gt; 0
 * @param offset zero point in [-128, 127]; 0 for symmetric quantization
 */
public record ActivationParams(float scale, int offset) {
    public ActivationParams {
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("scale_d must be finite and > 0, got " + scale);
        }
        if (offset < -128 || offset > 127) {
            throw new IllegalArgumentException("offset_d must lie in [-128, 127], got " + offset);
        }
    }

    /** The multiplier AMCT applies before rounding ({@code AscendQuant}'s {@code scale} attribute). */
    public float inverseScale() {
        return 1.0f / scale;
    }
}
