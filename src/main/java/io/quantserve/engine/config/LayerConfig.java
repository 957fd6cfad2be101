package io.quantserve.engine.config;

import io.quantserve.engine.InvalidConfigException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The config of one quantizable layer (the value under its name in the JSON file).
 *
 * @param quantEnable {@code quant_enable}; false keeps the layer in float
 * @param activation {@code activation_quant_params}
 * @param weight {@code weight_quant_params} (present for every layer; for AveragePool it only carries
 *     {@code channel_wise: false})
 * @param dmqBalancerParam {@code dmq_balancer_param}: the migration strength α of AMCT's DMQ balancer, in (0, 1);
 *     null (key absent) leaves the layer unbalanced. AMCT itself accepts [0.2, 0.8]; values outside that range are
 *     a QuantServe extension. Which layers may set it is checked against the model by
 *     {@link QuantConfigs#validateAgainst}.
 */
public record LayerConfig(
        boolean quantEnable,
        ActivationQuantParams activation,
        WeightQuantParams weight,
        @Nullable Double dmqBalancerParam) {
    public LayerConfig {
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(weight, "weight");
        if (dmqBalancerParam != null) checkDmqBalancerParam(dmqBalancerParam);
    }

    /** A layer config without DMQ balancing. */
    public LayerConfig(boolean quantEnable, ActivationQuantParams activation, WeightQuantParams weight) {
        this(quantEnable, activation, weight, null);
    }

    /** This config with {@code quant_enable} set to {@code enabled}. */
    public LayerConfig withQuantEnable(boolean enabled) {
        return new LayerConfig(enabled, activation, weight, dmqBalancerParam);
    }

    /**
     * Checks a migration strength: finite and strictly between 0 and 1.
     *
     * @throws InvalidConfigException whose message starts with the key name
     */
    static void checkDmqBalancerParam(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new InvalidConfigException(
                    ConfigKeys.DMQ_BALANCER_PARAM + " must lie in (0, 1) (AMCT uses [0.2, 0.8]), got " + alpha);
        }
    }
}
