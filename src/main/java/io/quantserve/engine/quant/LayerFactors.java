package io.quantserve.engine.quant;

/**
 * The factors of one layer, as a record file stores them: {@code scale_d}/{@code offset_d}, {@code scale_w} (one per
 * output channel, or one) and {@code tensor_balance_factor} (one per input channel of a DMQ-balanced layer, else
 * none). Everything else about a quantized layer is derived from these and the float model by
 * {@link LayerQuantizations#build}.
 *
 * @param balanceFactors DMQ balance factors, each finite and in {@code [FLT_EPSILON, 1/FLT_EPSILON]} as in AMCT;
 *     empty for a layer that is not balanced. The float model the factors belong to already carries them (the
 *     layer's input divided, its weight multiplied); they are kept here so that a record can rebuild that model.
 */
public record LayerFactors(ActivationParams activation, float[] weightScales, float[] balanceFactors) {
    private static final float FLT_EPSILON = Math.ulp(1.0f);

    public LayerFactors {
        weightScales = weightScales.clone();
        balanceFactors = balanceFactors.clone();
        for (float s : weightScales) {
            if (!(s > 0) || !Float.isFinite(s)) {
                throw new IllegalArgumentException("scale_w must be finite and > 0, got " + s);
            }
        }
        for (float f : balanceFactors) {
            if (!validBalanceFactor(f)) {
                throw new IllegalArgumentException(
                        "tensor_balance_factor must lie in [FLT_EPSILON, 1/FLT_EPSILON], got " + f);
            }
        }
    }

    /** Factors of a layer without DMQ balancing. */
    public LayerFactors(ActivationParams activation, float[] weightScales) {
        this(activation, weightScales, new float[0]);
    }

    /** Whether {@code f} is a valid {@code tensor_balance_factor}: in {@code [FLT_EPSILON, 1/FLT_EPSILON]}. */
    public static boolean validBalanceFactor(float f) {
        return f >= FLT_EPSILON && f <= 1 / FLT_EPSILON;
    }

    /** These factors with {@code balanceFactors} instead of the current ones. */
    public LayerFactors withBalanceFactors(float[] factors) {
        return new LayerFactors(activation, weightScales, factors);
    }

    @Override
    public float[] weightScales() {
        return weightScales.clone();
    }

    @Override
    public float[] balanceFactors() {
        return balanceFactors.clone();
    }
}
