package io.quantserve.engine.config;

import io.quantserve.engine.InvalidConfigException;
import java.util.Objects;

/**
 * A layer's {@code weight_quant_params}. Whether {@code channelWise} is allowed depends on the layer's operator
 * (true only for Conv/ConvTranspose, and for Gemm/MatMul when the config's {@code matmul_channel_wise} allows it);
 * that is checked against the model by
 * {@link QuantConfigs#validateAgainst}.
 *
 * @param numBits {@code num_bits}; only 8 is supported
 * @param wtsAlgo {@code wts_algo}
 * @param channelWise {@code channel_wise}: one scale per output channel instead of one per tensor
 */
public record WeightQuantParams(int numBits, WtsAlgo wtsAlgo, boolean channelWise) {
    public WeightQuantParams {
        Objects.requireNonNull(wtsAlgo, "wtsAlgo");
        if (numBits != 8) {
            throw new InvalidConfigException("num_bits must be 8 (only INT8 is supported), got " + numBits);
        }
    }

    /** INT8 ARQ, per channel or per tensor. */
    public static WeightQuantParams arq(boolean channelWise) {
        return new WeightQuantParams(8, WtsAlgo.ARQ_QUANTIZE, channelWise);
    }
}
