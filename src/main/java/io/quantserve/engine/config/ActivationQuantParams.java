package io.quantserve.engine.config;

import io.quantserve.engine.InvalidConfigException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A layer's {@code activation_quant_params}.
 *
 * @param numBits {@code num_bits}; only 8 is supported
 * @param algorithm {@code act_algo} and its parameters
 * @param asymmetric {@code asymmetric}: a per-layer override of the global {@code activation_offset}; null when
 *     the file has no such key (the layer follows the global setting)
 */
public record ActivationQuantParams(
        int numBits,
        ActivationAlgorithm algorithm,
        @Nullable Boolean asymmetric) {
    public ActivationQuantParams {
        Objects.requireNonNull(algorithm, "algorithm");
        if (numBits != 8) {
            throw new InvalidConfigException("num_bits must be 8 (only INT8 is supported), got " + numBits);
        }
    }

    /** INT8 with {@code algorithm}, following the global {@code activation_offset}. */
    public static ActivationQuantParams of(ActivationAlgorithm algorithm) {
        return new ActivationQuantParams(8, algorithm, null);
    }

    /**
     * Whether this layer's input is quantized with an offset (asymmetric, {@code offset_d} may be non-zero).
     *
     * @param activationOffset the config's global {@code activation_offset}
     */
    public boolean effectiveAsymmetric(boolean activationOffset) {
        return asymmetric != null ? asymmetric : activationOffset;
    }
}
