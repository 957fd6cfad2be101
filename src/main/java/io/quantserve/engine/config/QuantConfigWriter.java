package io.quantserve.engine.config;

import static io.quantserve.engine.config.ConfigKeys.ACTIVATION_OFFSET;
import static io.quantserve.engine.config.ConfigKeys.ACTIVATION_QUANT_PARAMS;
import static io.quantserve.engine.config.ConfigKeys.ACT_ALGO;
import static io.quantserve.engine.config.ConfigKeys.ASYMMETRIC;
import static io.quantserve.engine.config.ConfigKeys.BATCH_NUM;
import static io.quantserve.engine.config.ConfigKeys.BIAS_OVERFLOW_POLICY;
import static io.quantserve.engine.config.ConfigKeys.CHANNEL_WISE;
import static io.quantserve.engine.config.ConfigKeys.DMQ_BALANCER_PARAM;
import static io.quantserve.engine.config.ConfigKeys.DO_FUSION;
import static io.quantserve.engine.config.ConfigKeys.MATMUL_CHANNEL_WISE;
import static io.quantserve.engine.config.ConfigKeys.MAX_PERCENTILE;
import static io.quantserve.engine.config.ConfigKeys.MIN_PERCENTILE;
import static io.quantserve.engine.config.ConfigKeys.NUM_BITS;
import static io.quantserve.engine.config.ConfigKeys.NUM_OF_BINS;
import static io.quantserve.engine.config.ConfigKeys.PERCENTILE;
import static io.quantserve.engine.config.ConfigKeys.QUANT_ENABLE;
import static io.quantserve.engine.config.ConfigKeys.SEARCH_RANGE;
import static io.quantserve.engine.config.ConfigKeys.SEARCH_STEP;
import static io.quantserve.engine.config.ConfigKeys.SKIP_FUSION_LAYERS;
import static io.quantserve.engine.config.ConfigKeys.VERSION;
import static io.quantserve.engine.config.ConfigKeys.WEIGHT_QUANT_PARAMS;
import static io.quantserve.engine.config.ConfigKeys.WTS_ALGO;

import io.quantserve.engine.weights.BiasOverflowPolicy;
import java.util.Map;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a {@link QuantConfig} as AMCT's JSON: objects indented by 4 spaces with {@code "key": value}, short
 * arrays on one line ({@code [0.7, 1.3]}), keys in AMCT's order, layers in the config's order, a final newline.
 * Doubles are written in Java's shortest round-trip form ({@link Double#toString}), so they read back
 * bit-identical. Keys with QuantServe-only meaning ({@code asymmetric} when unset, {@code bias_overflow_policy}
 * when {@code fail}, {@code matmul_channel_wise} when {@code off}) are left out at their defaults, so a default
 * config is plain AMCT; so is AMCT's optional {@code dmq_balancer_param} when a layer does not set it.
 */
final class QuantConfigWriter {
    private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectNameValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayElementSpacing(Separators.Spacing.AFTER)
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("    ", "\n"))
            .withArrayIndenter(DefaultPrettyPrinter.NopIndenter.instance());

    private QuantConfigWriter() {}

    static String write(JsonMapper mapper, QuantConfig config) {
        return mapper.writer().with(PRINTER).writeValueAsString(toTree(mapper, config)) + "\n";
    }

    static ObjectNode toTree(JsonMapper mapper, QuantConfig config) {
        ObjectNode root = mapper.createObjectNode();
        root.put(VERSION, config.version());
        root.put(BATCH_NUM, config.batchNum());
        root.put(ACTIVATION_OFFSET, config.activationOffset());
        root.put(DO_FUSION, config.doFusion());
        ArrayNode skip = root.putArray(SKIP_FUSION_LAYERS);
        config.skipFusionLayers().forEach(skip::add);
        if (config.biasOverflowPolicy() != BiasOverflowPolicy.FAIL) {
            root.put(BIAS_OVERFLOW_POLICY, config.biasOverflowPolicy().jsonName());
        }
        if (config.matMulChannelWise() != MatMulChannelWise.OFF) {
            root.put(MATMUL_CHANNEL_WISE, config.matMulChannelWise().jsonName());
        }
        for (Map.Entry<String, LayerConfig> e : config.layers().entrySet()) {
            writeLayer(root.putObject(e.getKey()), e.getValue());
        }
        return root;
    }

    private static void writeLayer(ObjectNode out, LayerConfig layer) {
        out.put(QUANT_ENABLE, layer.quantEnable());
        if (layer.dmqBalancerParam() != null) {
            out.put(DMQ_BALANCER_PARAM, layer.dmqBalancerParam());
        }
        ActivationQuantParams a = layer.activation();
        ObjectNode act = out.putObject(ACTIVATION_QUANT_PARAMS);
        act.put(NUM_BITS, a.numBits());
        act.put(ACT_ALGO, a.algorithm().algo().jsonName());
        switch (a.algorithm()) {
            case ActivationAlgorithm.Ifmr i -> {
                act.put(MAX_PERCENTILE, i.maxPercentile());
                act.put(MIN_PERCENTILE, i.minPercentile());
                act.putArray(SEARCH_RANGE).add(i.searchRangeStart()).add(i.searchRangeEnd());
                act.put(SEARCH_STEP, i.searchStep());
            }
            case ActivationAlgorithm.Hfmg h -> act.put(NUM_OF_BINS, h.numOfBins());
            case ActivationAlgorithm.MinMax m -> {}
            case ActivationAlgorithm.Percentile p -> act.put(PERCENTILE, p.percentile());
            case ActivationAlgorithm.Kl k -> act.put(NUM_OF_BINS, k.numOfBins());
            case ActivationAlgorithm.Auto auto -> {}
        }
        if (a.asymmetric() != null) {
            act.put(ASYMMETRIC, a.asymmetric());
        }
        WeightQuantParams w = layer.weight();
        ObjectNode wts = out.putObject(WEIGHT_QUANT_PARAMS);
        wts.put(NUM_BITS, w.numBits());
        wts.put(WTS_ALGO, w.wtsAlgo().jsonName());
        wts.put(CHANNEL_WISE, w.channelWise());
    }
}
