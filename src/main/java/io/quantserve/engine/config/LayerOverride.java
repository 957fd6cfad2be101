package io.quantserve.engine.config;

import org.jspecify.annotations.Nullable;

/**
 * A partial, per-layer change to what {@link ConfigFactory} would write; null components keep the default.
 *
 * @param quantEnable {@code quant_enable}; true is refused for a layer that is also in the skip list
 * @param algorithm {@code act_algo} with its parameters, instead of the options' default algorithm
 * @param asymmetric {@code asymmetric}: per-layer override of the global {@code activation_offset}
 * @param channelWise {@code channel_wise}; true is only valid for Conv/ConvTranspose, and for Gemm/MatMul when the
 *     options' {@code matmul_channel_wise} is not off
 * @param dmqBalancerParam {@code dmq_balancer_param} in (0, 1) for this layer, or exactly 0 to write none (the
 *     layer stays unbalanced although the options set a global value)
 */
public record LayerOverride(
        @Nullable Boolean quantEnable,
        @Nullable ActivationAlgorithm algorithm,
        @Nullable Boolean asymmetric,
        @Nullable Boolean channelWise,
        @Nullable Double dmqBalancerParam) {

    /** The value of {@link #dmqBalancerParam} that turns DMQ balancing off for the layer. */
    public static final double DMQ_OFF = 0.0;

    public LayerOverride {
        if (dmqBalancerParam != null && dmqBalancerParam != DMQ_OFF) {
            LayerConfig.checkDmqBalancerParam(dmqBalancerParam);
        }
    }

    /** An override of the AMCT keys only (no DMQ change). */
    public LayerOverride(
            @Nullable Boolean quantEnable,
            @Nullable ActivationAlgorithm algorithm,
            @Nullable Boolean asymmetric,
            @Nullable Boolean channelWise) {
        this(quantEnable, algorithm, asymmetric, channelWise, null);
    }

    /** An override that changes nothing; start here and use the {@code with...} methods. */
    public static LayerOverride none() {
        return new LayerOverride(null, null, null, null, null);
    }

    public LayerOverride withQuantEnable(boolean value) {
        return new LayerOverride(value, algorithm, asymmetric, channelWise, dmqBalancerParam);
    }

    public LayerOverride withAlgorithm(ActivationAlgorithm value) {
        return new LayerOverride(quantEnable, value, asymmetric, channelWise, dmqBalancerParam);
    }

    public LayerOverride withAsymmetric(boolean value) {
        return new LayerOverride(quantEnable, algorithm, value, channelWise, dmqBalancerParam);
    }

    public LayerOverride withChannelWise(boolean value) {
        return new LayerOverride(quantEnable, algorithm, asymmetric, value, dmqBalancerParam);
    }

    /** Sets the layer's {@code dmq_balancer_param}; {@link #DMQ_OFF} removes it. */
    public LayerOverride withDmqBalancerParam(double value) {
        return new LayerOverride(quantEnable, algorithm, asymmetric, channelWise, value);
    }
}
