package io.quantserve.engine.weights;

/**
 * What to do when {@code round(b / (scale_w · scale_d))} does not fit in INT32.
 * {@link #FAIL} is AMCT's behaviour ("please add it to skip layer"); {@link #ADJUST_WEIGHT_SCALE} enlarges the
 * offending channels' {@code scale_w} until the bias fits (ONNX Runtime's approach); {@link #SKIP_LAYER} leaves the
 * layer in float. The choice taken per layer is reported.
 */
public enum BiasOverflowPolicy {
    FAIL("fail"),
    ADJUST_WEIGHT_SCALE("adjust_weight_scale"),
    SKIP_LAYER("skip_layer");

    private final String jsonName;

    BiasOverflowPolicy(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    public static BiasOverflowPolicy fromJson(String name) {
        for (BiasOverflowPolicy p : values()) {
            if (p.jsonName.equals(name) || p.name().equalsIgnoreCase(name)) return p;
        }
        throw new IllegalArgumentException(
                "unknown bias overflow policy '" + name + "' (fail, adjust_weight_scale, skip_layer)");
    }
}
