package io.quantserve.engine.config;

import org.jspecify.annotations.Nullable;

/**
 * A partial, per-layer change to what {@link ConfigFactory} would write; null components keep the default.
 *
 * @param quantEnable {@code quant_enable}; true is refused for a layer that is also in the skip list
 * @param algorithm {@code act_algo} with its parameters, instead of the options' default algorithm
 * @param asymmetric {@code asymmetric}: per-layer override of the global {@code activation_offset}
 * @param channelWise {@code channel_wise}; true is only valid for Conv/ConvTranspose
 */
public record LayerOverride(
        @Nullable Boolean quantEnable,
        @Nullable ActivationAlgorithm algorithm,
        @Nullable Boolean asymmetric,
        @Nullable Boolean channelWise) {

    /** An override that changes nothing; start here and use the {@code with...} methods. */
    public static LayerOverride none() {
        return new LayerOverride(null, null, null, null);
    }

    public LayerOverride withQuantEnable(boolean value) {
        return new LayerOverride(value, algorithm, asymmetric, channelWise);
    }

    public LayerOverride withAlgorithm(ActivationAlgorithm value) {
        return new LayerOverride(quantEnable, value, asymmetric, channelWise);
    }

    public LayerOverride withAsymmetric(boolean value) {
        return new LayerOverride(quantEnable, algorithm, value, channelWise);
    }

    public LayerOverride withChannelWise(boolean value) {
        return new LayerOverride(quantEnable, algorithm, asymmetric, value);
    }
}
