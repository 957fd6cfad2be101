package io.quantserve.cli;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.config.ActAlgo;
import io.quantserve.engine.config.ActivationAlgorithm;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.config.DmqLayers;
import io.quantserve.engine.config.MatMulChannelWise;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The config options beyond AMCT's defaults shared by {@code create-config} and {@code quantize}: the activation range
 * method of every layer ({@code act_algo}), per-column Gemm/MatMul weights ({@code matmul_channel_wise}) and DMQ
 * balancing for every layer that supports it
 * ({@code dmq_balancer_param}; per-layer values through {@code --override}).
 */
final class BeyondAmctOptions {
    @Option(
            names = "--matmul-channel-wise",
            paramLabel = "off|portable|all",
            description = "per-column Gemm/MatMul weights: off (AMCT, default), portable (fake_quant and INT8 models;"
                    + " deploy model per tensor) or all (deploy model too)")
    String matMulChannelWise = MatMulChannelWise.OFF.jsonName();

    @Option(
            names = "--act-algo",
            paramLabel = "ifmr|hfmg|minmax|percentile|kl|auto",
            description = "activation range method of every layer, with its default parameters (default ifmr, AMCT's;"
                    + " auto measures each candidate's layer-output error and keeps the smallest)")
    String actAlgo = ActAlgo.IFMR.jsonName();

    @Option(
            names = "--dmq-balancer-param",
            paramLabel = "ALPHA",
            description = "DMQ balancing with migration strength ALPHA in (0, 1) for every Conv/ConvTranspose/Gemm/"
                    + "MatMul layer of the main graph (AMCT accepts 0.2-0.8; default: off)")
    @Nullable
    Double dmqBalancerParam;

    @Option(
            names = "--dmq-layers",
            paramLabel = "all|norm-fed",
            description = "which layers --dmq-balancer-param balances: all (default) or norm-fed (layers reading a"
                    + " LayerNormalization output, SmoothQuant's placement for transformers)")
    String dmqLayers = DmqLayers.ALL.cliName();

    /** Sets these options on {@code options}. */
    ConfigOptions.Builder apply(ConfigOptions.Builder options) {
        if (dmqBalancerParam != null && !(dmqBalancerParam > 0 && dmqBalancerParam < 1)) {
            throw new InvalidConfigException("--dmq-balancer-param must lie in (0, 1), got " + dmqBalancerParam);
        }
        return options.matMulChannelWise(MatMulChannelWise.fromJson(matMulChannelWise))
                .defaultAlgorithm(ActivationAlgorithm.withDefaults(ActAlgo.fromJson(actAlgo)))
                .dmqBalancerParam(dmqBalancerParam)
                .dmqLayers(DmqLayers.fromCli(dmqLayers));
    }
}
