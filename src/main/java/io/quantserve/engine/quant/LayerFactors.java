package io.quantserve.engine.quant;

/**
 * The factors of one layer, as a record file stores them: {@code scale_d}/{@code offset_d} and {@code scale_w}
 * (one per output channel, or one). Everything else about a quantized layer is derived from these and the
 * float model by {@link LayerQuantizations#build}.
 */
public record LayerFactors(ActivationParams activation, float[] weightScales) {
    public LayerFactors {
        weightScales = weightScales.clone();
        for (float s : weightScales) {
            if (!(s > 0) || !Float.isFinite(s)) {
                throw new IllegalArgumentException("scale_w must be finite and > 0, got " + s);
            }
        }
    }

    @Override
    public float[] weightScales() {
        return weightScales.clone();
    }
}
