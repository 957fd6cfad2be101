package io.quantserve.engine.config;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.layers.LayerScan;
import io.quantserve.engine.layers.QuantizableLayer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Creates the config of a model from its quantizable layers, as AMCT's {@code create_quant_config} does.
 *
 * <p>Every quantizable layer of the scan gets an entry, in graph order. Skipped layers (by name or by operator
 * kind) are written with {@code quant_enable: false} rather than left out, so the file shows every layer that
 * could be quantized and a user re-enables one by flipping a boolean. Nodes the layer rules refused
 * (activation&times;activation MatMul, shared weights, &hellip;) get no entry. {@code channel_wise} defaults to true
 * for Conv/ConvTranspose (and for Gemm/MatMul when the options' {@code matmul_channel_wise} is not off) and false
 * otherwise; {@code asymmetric} is only written when an override sets it; {@code dmq_balancer_param} is written for
 * the layers {@link QuantConfigs#supportsDmq} accepts when the options or an override set it.
 */
public final class ConfigFactory {
    private ConfigFactory() {}

    /**
     * @param scan the layers of the model, from {@code LayerFinder.scan} on a model whose node names were made
     *     unique with {@code NodeNames.normalize}
     * @param options what to skip and override
     * @return a config that passes {@link QuantConfigs#validateAgainst} for {@code scan}
     * @throws InvalidConfigException when a skipped or overridden name is not a quantizable layer (all such
     *     names are listed), when layer names are empty or repeated, or when an option is out of range
     */
    public static QuantConfig create(LayerScan scan, ConfigOptions options) {
        checkNames(scan);
        requireLayers(scan, "skipLayers", options.skipLayers());
        requireLayers(scan, "overrides", options.overrides().keySet());
        SequencedMap<String, LayerConfig> layers = new LinkedHashMap<>();
        for (QuantizableLayer layer : scan.layers()) {
            layers.put(layer.name(), layerConfig(layer, scan, options));
        }
        QuantConfig config = new QuantConfig(
                QuantConfig.CURRENT_VERSION,
                options.batchNum(),
                options.activationOffset(),
                options.doFusion(),
                options.skipFusionLayers(),
                options.biasOverflowPolicy(),
                options.matMulChannelWise(),
                layers);
        QuantConfigs.validateAgainst(config, scan);
        return config;
    }

    private static LayerConfig layerConfig(QuantizableLayer layer, LayerScan scan, ConfigOptions options) {
        String name = layer.name();
        boolean skipped =
                options.skipLayers().contains(name) || options.skipLayerTypes().contains(layer.type());
        ActivationAlgorithm algorithm = options.defaultAlgorithm();
        Boolean asymmetric = null;
        boolean channelWise = options.matMulChannelWise().allowsChannelWise(layer.type());
        boolean dmqScope =
                options.dmqLayers() == DmqLayers.ALL || scan.normalizationFed().contains(name);
        @Nullable Double dmq = QuantConfigs.supportsDmq(layer) && dmqScope ? options.dmqBalancerParam() : null;
        boolean enabled = !skipped;
        LayerOverride o = options.overrides().get(name);
        if (o != null) {
            if (o.quantEnable() != null) {
                if (o.quantEnable() && options.skipLayers().contains(name)) {
                    throw new InvalidConfigException("layer '" + name
                            + "' is in skipLayers and its override sets quant_enable true; choose one");
                }
                enabled = o.quantEnable();
            }
            if (o.algorithm() != null) algorithm = o.algorithm();
            if (o.asymmetric() != null) asymmetric = o.asymmetric();
            if (o.channelWise() != null) channelWise = o.channelWise();
            if (o.dmqBalancerParam() != null) {
                dmq = o.dmqBalancerParam() == LayerOverride.DMQ_OFF ? null : o.dmqBalancerParam();
            }
        }
        return new LayerConfig(
                enabled, new ActivationQuantParams(8, algorithm, asymmetric), WeightQuantParams.arq(channelWise), dmq);
    }

    private static void checkNames(LayerScan scan) {
        Set<String> seen = new HashSet<>();
        for (QuantizableLayer l : scan.layers()) {
            if (l.name().isEmpty() || !seen.add(l.name())) {
                throw new InvalidConfigException(
                        "layer name '" + l.name() + "' of a " + l.type().opType()
                                + " node is " + (l.name().isEmpty() ? "empty" : "not unique")
                                + "; configs are keyed by node name: run NodeNames.normalize on the model first");
            }
        }
    }

    private static void requireLayers(LayerScan scan, String option, Collection<String> names) {
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            if (scan.layer(name).isPresent()) continue;
            String why = scan.skipped().stream()
                    .filter(s -> s.name().equals(name))
                    .findFirst()
                    .map(s -> s.opType() + " not quantizable: " + s.reason())
                    .orElse("no such layer");
            unknown.add("'" + name + "' (" + why + ")");
        }
        if (!unknown.isEmpty()) {
            throw new InvalidConfigException(option + " names " + unknown.size()
                    + " layer(s) that are not quantizable layers of the model: " + String.join(", ", unknown));
        }
    }
}
