package io.quantserve.engine;

/** Quantizing one layer failed (degenerate range, bias overflow, non-finite data); names the layer. */
public final class LayerQuantizationException extends QuantServeException {
    private final String layer;

    public LayerQuantizationException(String code, String layer, String message) {
        super(code, "layer '" + layer + "': " + message);
        this.layer = layer;
    }

    public String layer() {
        return layer;
    }
}
