package io.quantserve.engine.config;

import java.util.Objects;

/**
 * The config of one quantizable layer (the value under its name in the JSON file).
 *
 * @param quantEnable {@code quant_enable}; false keeps the layer in float
 * @param activation {@code activation_quant_params}
 * @param weight {@code weight_quant_params} (present for every layer; for AveragePool it only carries
 *     {@code channel_wise: false})
 */
public record LayerConfig(boolean quantEnable, ActivationQuantParams activation, WeightQuantParams weight) {
    public LayerConfig {
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(weight, "weight");
    }

    /** This config with {@code quant_enable} set to {@code enabled}. */
    public LayerConfig withQuantEnable(boolean enabled) {
        return new LayerConfig(enabled, activation, weight);
    }
}
