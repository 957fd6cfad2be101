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

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.weights.BiasOverflowPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedMap;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Turns the JSON tree of a config file into a {@link QuantConfig}. Strict: every key is required except
 * {@code asymmetric}, {@code dmq_balancer_param}, {@code bias_overflow_policy} and {@code matmul_channel_wise};
 * unknown keys, wrong types and out-of-range values are
 * errors. Reports every broken top-level key and the first problem of every broken layer in one exception.
 */
final class QuantConfigReader {
    private final String source;
    private final List<String> problems = new ArrayList<>();

    private QuantConfigReader(String source) {
        this.source = source;
    }

    static QuantConfig read(JsonNode root, String source) {
        return new QuantConfigReader(source).read(root);
    }

    private QuantConfig read(JsonNode root) {
        if (!root.isObject()) {
            throw new InvalidConfigException("quant config '" + source + "': the top level must be a JSON object, got "
                    + JsonFields.describe(root));
        }
        JsonFields top = new JsonFields(root, "");
        int version = attempt(() -> checked(top.requireInt(VERSION), QuantConfig::checkVersion), 1);
        int batchNum = attempt(() -> checked(top.requireInt(BATCH_NUM), QuantConfig::checkBatchNum), 1);
        boolean activationOffset = attempt(() -> top.requireBoolean(ACTIVATION_OFFSET), true);
        boolean doFusion = attempt(() -> top.requireBoolean(DO_FUSION), true);
        List<String> skipFusion = attempt(
                () -> checked(top.requireStrings(SKIP_FUSION_LAYERS), QuantConfig::checkSkipFusionLayers), List.of());
        BiasOverflowPolicy policy = attempt(
                () -> top.optionalString(BIAS_OVERFLOW_POLICY)
                        .map(BiasOverflowPolicy::fromJson)
                        .orElse(BiasOverflowPolicy.FAIL),
                BiasOverflowPolicy.FAIL);
        MatMulChannelWise matMulChannelWise = attempt(
                () -> top.optionalString(MATMUL_CHANNEL_WISE)
                        .map(MatMulChannelWise::fromJson)
                        .orElse(MatMulChannelWise.OFF),
                MatMulChannelWise.OFF);
        SequencedMap<String, LayerConfig> layers = new LinkedHashMap<>();
        for (String name : top.keys()) {
            if (ConfigKeys.TOP_LEVEL.contains(name)) continue;
            JsonNode body = root.get(name);
            if (!body.isObject()) {
                problems.add("layer '" + name + "' must be an object, got " + JsonFields.describe(body)
                        + " (if a top-level key was meant, those are: " + String.join(", ", ConfigKeys.TOP_LEVEL)
                        + ")");
                continue;
            }
            try {
                QuantConfig.checkLayerName(name);
                layers.put(name, readLayer(new JsonFields(body, "")));
            } catch (InvalidConfigException e) {
                problems.add("layer '" + name + "': " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(
                    problems.size() == 1
                            ? "quant config '" + source + "': " + problems.getFirst()
                            : "quant config '" + source + "' has " + problems.size() + " problems:\n- "
                                    + String.join("\n- ", problems));
        }
        return new QuantConfig(
                version, batchNum, activationOffset, doFusion, skipFusion, policy, matMulChannelWise, layers);
    }

    private <T> T attempt(Supplier<T> read, T fallback) {
        try {
            return read.get();
        } catch (InvalidConfigException e) {
            problems.add(e.getMessage());
            return fallback;
        }
    }

    private static <T> T checked(T value, Consumer<T> check) {
        check.accept(value);
        return value;
    }

    private static LayerConfig readLayer(JsonFields f) {
        f.rejectUnknown(ConfigKeys.LAYER);
        boolean enable = f.requireBoolean(QUANT_ENABLE);
        @Nullable Double dmq = f.has(DMQ_BALANCER_PARAM) ? f.requireDouble(DMQ_BALANCER_PARAM) : null;
        ActivationQuantParams activation = readActivation(f.requireObject(ACTIVATION_QUANT_PARAMS));
        WeightQuantParams weight = readWeight(f.requireObject(WEIGHT_QUANT_PARAMS));
        return new LayerConfig(enable, activation, weight, dmq);
    }

    private static ActivationQuantParams readActivation(JsonFields f) {
        Set<String> common = Set.of(NUM_BITS, ACT_ALGO, ASYMMETRIC);
        Set<String> known = new LinkedHashSet<>(List.of(NUM_BITS, ACT_ALGO));
        for (ActAlgo a : ActAlgo.values()) known.addAll(a.parameterKeys());
        known.add(ASYMMETRIC);
        f.rejectUnknown(known);
        String algoName = f.requireString(ACT_ALGO);
        ActAlgo algo = inside(f, () -> ActAlgo.fromJson(algoName));
        for (String key : f.keys()) {
            if (common.contains(key) || algo.parameterKeys().contains(key)) continue;
            ActAlgo owner = ownerOf(key);
            if (Set.of(algo, owner).equals(Set.of(ActAlgo.IFMR, ActAlgo.HFMG))) {
                throw new InvalidConfigException("IFMR and HFMG keys must not be mixed in one layer: act_algo is '"
                        + algo.jsonName() + "' but " + f.path(key) + " is a parameter of '" + owner.jsonName() + "'");
            }
            throw new InvalidConfigException(f.path(key) + " is a parameter of act_algo '" + owner.jsonName()
                    + "', not of '" + algo.jsonName() + "' (which takes: "
                    + (algo.parameterKeys().isEmpty() ? "no parameters" : String.join(", ", algo.parameterKeys()))
                    + ")");
        }
        int numBits = f.requireInt(NUM_BITS);
        Boolean asymmetric = f.optionalBoolean(ASYMMETRIC).orElse(null);
        ActivationAlgorithm algorithm = switch (algo) {
            case IFMR -> {
                double max = f.requireDouble(MAX_PERCENTILE);
                double min = f.requireDouble(MIN_PERCENTILE);
                double[] range = f.requireNumbers(SEARCH_RANGE, 2);
                double step = f.requireDouble(SEARCH_STEP);
                yield inside(f, () -> new ActivationAlgorithm.Ifmr(max, min, range[0], range[1], step));
            }
            case HFMG -> {
                int bins = f.requireInt(NUM_OF_BINS);
                yield inside(f, () -> new ActivationAlgorithm.Hfmg(bins));
            }
            case MINMAX -> new ActivationAlgorithm.MinMax();
            case PERCENTILE -> {
                double percentile = f.requireDouble(PERCENTILE);
                yield inside(f, () -> new ActivationAlgorithm.Percentile(percentile));
            }
            case KL -> {
                int bins = f.requireInt(NUM_OF_BINS);
                yield inside(f, () -> new ActivationAlgorithm.Kl(bins));
            }
            case AUTO -> new ActivationAlgorithm.Auto();
        };
        return inside(f, () -> new ActivationQuantParams(numBits, algorithm, asymmetric));
    }

    private static ActAlgo ownerOf(String key) {
        for (ActAlgo a : ActAlgo.values()) {
            if (a.parameterKeys().contains(key)) return a;
        }
        throw new IllegalStateException("key " + key + " passed the known-key check but has no algorithm");
    }

    private static WeightQuantParams readWeight(JsonFields f) {
        f.rejectUnknown(ConfigKeys.WEIGHT);
        int numBits = f.requireInt(NUM_BITS);
        String algoName = f.requireString(WTS_ALGO);
        WtsAlgo algo = inside(f, () -> WtsAlgo.fromJson(algoName));
        boolean channelWise = f.requireBoolean(CHANNEL_WISE);
        return inside(f, () -> new WeightQuantParams(numBits, algo, channelWise));
    }

    /**
     * Runs {@code build} (a record constructor or enum lookup, whose message starts with a bare key such as
     * {@code search_step}), prefixing that key with the path of the object {@code f}.
     */
    private static <T> T inside(JsonFields f, Supplier<T> build) {
        try {
            return build.get();
        } catch (InvalidConfigException e) {
            throw new InvalidConfigException(f.path(e.getMessage()), e);
        }
    }
}
