package io.quantserve.engine.weights;

import io.quantserve.engine.InvalidConfigException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What to do when a quantized bias {@code round(b / (scale_w[c] * scale_d))} does not fit INT32 (QuantServe
 * extension, top-level key {@code bias_overflow_policy}; written only when it is not the default {@link #FAIL},
 * so a default config stays readable by AMCT).
 */
public enum BiasOverflowPolicy {
    /** AMCT's behaviour: stop with an error naming the layer (the user adds it to the skip list). */
    FAIL("fail"),
    /** ONNX Runtime's behaviour: enlarge the channel's weight scale until the bias fits. */
    ADJUST_WEIGHT_SCALE("adjust_weight_scale"),
    /** Leave the layer in float and report it. */
    SKIP_LAYER("skip_layer");

    private final String jsonName;

    BiasOverflowPolicy(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The value of {@code bias_overflow_policy} in the JSON file. */
    public String jsonName() {
        return jsonName;
    }

    /**
     * The policy named {@code name} (exact match).
     *
     * @throws InvalidConfigException naming the allowed values when there is none
     */
    public static BiasOverflowPolicy fromJson(String name) {
        for (BiasOverflowPolicy p : values()) {
            if (p.jsonName.equals(name)) return p;
        }
        throw new InvalidConfigException("bias_overflow_policy '" + name + "' is not one of "
                + Arrays.stream(values()).map(p -> "'" + p.jsonName + "'").collect(Collectors.joining(", ")));
    }
}
