package io.quantserve.service.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.config.DmqLayers;
import io.quantserve.engine.config.MatMulChannelWise;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The generated config's options beyond AMCT's defaults, as the CLI's {@code --matmul-channel-wise}, {@code
 * --dmq-balancer-param} and {@code --dmq-layers}: per-column Gemm/MatMul weights and DMQ balancing.
 *
 * @param matmulChannelWise {@code off} (AMCT, default), {@code portable} (fake-quant and INT8 models per column, deploy
 *     model per tensor) or {@code all}
 * @param dmqBalancerParam DMQ migration strength in (0, 1) for the layers {@code dmqLayers} names; null for no DMQ
 * @param dmqLayers {@code all} (default: every layer DMQ supports) or {@code norm-fed} (layers reading a
 *     LayerNormalization output)
 */
@Schema(
        name = "BeyondAmct",
        description = "config options beyond AMCT's defaults: per-column Gemm/MatMul weights and DMQ balancing")
public record BeyondAmct(
        @JsonProperty("matmul_channel_wise") @Schema(allowableValues = {"off", "portable", "all"}) @Nullable
        String matmulChannelWise,

        @JsonProperty("dmq_balancer_param")
        @Schema(description = "DMQ migration strength in (0, 1); absent for no DMQ balancing")
        @Nullable
        Double dmqBalancerParam,

        @JsonProperty("dmq_layers") @Schema(allowableValues = {"all", "norm-fed"}) @Nullable
        String dmqLayers) {

    /**
     * Checks the values.
     *
     * @throws InvalidConfigException naming the option at fault
     */
    public BeyondAmct validate() {
        apply(ConfigOptions.builder()).build();
        return this;
    }

    /** Sets these options on {@code options}; {@link ConfigOptions} checks them when built. */
    ConfigOptions.Builder apply(ConfigOptions.Builder options) {
        if (matmulChannelWise != null) options.matMulChannelWise(MatMulChannelWise.fromJson(matmulChannelWise));
        if (dmqLayers != null) options.dmqLayers(DmqLayers.fromCli(dmqLayers));
        return options.dmqBalancerParam(dmqBalancerParam);
    }
}
