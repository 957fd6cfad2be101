package io.quantserve.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.layers.LayerScan;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every rule of the reader and of {@link QuantConfigs#validateAgainst}: each case breaks one thing in a valid
 * config of the tiny model and checks that the error names the key and the layer.
 */
class QuantConfigValidationTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final LayerScan SCAN = ConfigTestModels.tinyScan();

    private static ObjectNode validTree() {
        return (ObjectNode) JSON.readTree(QuantConfigs.toJson(ConfigFactory.create(SCAN, ConfigOptions.defaults())));
    }

    private static ObjectNode act(ObjectNode root, String layer) {
        return (ObjectNode) root.get(layer).get("activation_quant_params");
    }

    private static ObjectNode wts(ObjectNode root, String layer) {
        return (ObjectNode) root.get(layer).get("weight_quant_params");
    }

    private static ObjectNode hfmg(ObjectNode root, String layer) {
        ObjectNode a = act(root, layer);
        a.removeAll();
        a.put("num_bits", 8).put("act_algo", "hfmg").put("num_of_bins", 4096);
        return a;
    }

    private static Arguments layerCase(String layer, Consumer<ObjectNode> breakIt, String... fragments) {
        String[] all = Stream.concat(Stream.of("layer '" + layer + "'"), Stream.of(fragments))
                .toArray(String[]::new);
        return Arguments.of(breakIt, all);
    }

    private static Arguments topCase(Consumer<ObjectNode> breakIt, String... fragments) {
        return Arguments.of(breakIt, fragments);
    }

    static Stream<Arguments> brokenConfigs() {
        return Stream.of(
                // unknown keys
                layerCase(
                        "conv1",
                        r -> ((ObjectNode) r.get("conv1")).put("quant_enabled", true),
                        "unknown key quant_enabled"),
                layerCase("conv1", r -> act(r, "conv1").put("foo", 1), "unknown key activation_quant_params.foo"),
                layerCase(
                        "fc1",
                        r -> wts(r, "fc1").put("per_channel", false),
                        "unknown key weight_quant_params.per_channel"),
                topCase(
                        r -> r.put("batchnum", 2),
                        "layer 'batchnum' must be an object",
                        "if a top-level key was meant"),
                // wrong types
                layerCase(
                        "pool1",
                        r -> ((ObjectNode) r.get("pool1")).put("quant_enable", "yes"),
                        "quant_enable",
                        "boolean"),
                layerCase(
                        "pool1", r -> ((ObjectNode) r.get("pool1")).put("quant_enable", 1), "quant_enable", "boolean"),
                layerCase(
                        "conv1",
                        r -> act(r, "conv1").put("num_bits", 8.0),
                        "activation_quant_params.num_bits",
                        "integer"),
                layerCase(
                        "conv1",
                        r -> act(r, "conv1").put("num_bits", "8"),
                        "activation_quant_params.num_bits",
                        "integer"),
                layerCase(
                        "conv1", r -> act(r, "conv1").put("act_algo", 1), "activation_quant_params.act_algo", "string"),
                layerCase(
                        "conv1",
                        r -> act(r, "conv1").put("max_percentile", "0.99"),
                        "activation_quant_params.max_percentile",
                        "number"),
                layerCase(
                        "conv1",
                        r -> act(r, "conv1").put("search_range", 0.7),
                        "activation_quant_params.search_range",
                        "array of 2 numbers"),
                layerCase(
                        "conv1",
                        r -> act(r, "conv1").putArray("search_range").add(0.7),
                        "activation_quant_params.search_range",
                        "array of 2 numbers"),
                layerCase(
                        "conv1",
                        r -> act(r, "conv1")
                                .putArray("search_range")
                                .add(0.7)
                                .add(1.3)
                                .add(2.0),
                        "activation_quant_params.search_range",
                        "array of 2 numbers"),
                layerCase(
                        "conv1",
                        r -> act(r, "conv1").putArray("search_range").add(0.7).add("1.3"),
                        "activation_quant_params.search_range[1]",
                        "number"),
                layerCase(
                        "fc1",
                        r -> act(r, "fc1").put("asymmetric", "false"),
                        "activation_quant_params.asymmetric",
                        "boolean"),
                layerCase(
                        "fc1",
                        r -> wts(r, "fc1").put("channel_wise", 0),
                        "weight_quant_params.channel_wise",
                        "boolean"),
                layerCase("fc1", r -> r.put("fc1", "off"), "must be an object"),
                layerCase(
                        "fc1",
                        r -> ((ObjectNode) r.get("fc1")).put("activation_quant_params", 8),
                        "activation_quant_params",
                        "object"),
                // missing keys
                layerCase(
                        "conv1",
                        r -> act(r, "conv1").remove("search_step"),
                        "missing key activation_quant_params.search_step"),
                layerCase(
                        "proj",
                        r -> ((ObjectNode) r.get("proj")).remove("weight_quant_params"),
                        "missing key weight_quant_params"),
                layerCase("proj", r -> ((ObjectNode) r.get("proj")).remove("quant_enable"), "missing key quant_enable"),
                layerCase(
                        "proj",
                        r -> hfmg(r, "proj").remove("num_of_bins"),
                        "missing key activation_quant_params.num_of_bins"),
                // percentiles in (0.5, 1]
                layerCase(
                        "conv1",
                        r -> act(r, "conv1").put("max_percentile", 0.5),
                        "activation_quant_params.max_percentile",
                        "(0.5, 1]"),
                layerCase(
                        "conv1",
                        r -> act(r, "conv1").put("max_percentile", 0.3),
                        "activation_quant_params.max_percentile",
                        "(0.5, 1]"),
                layerCase(
                        "conv1",
                        r -> act(r, "conv1").put("max_percentile", 1.0000001),
                        "activation_quant_params.max_percentile",
                        "(0.5, 1]"),
                layerCase(
                        "pool1",
                        r -> act(r, "pool1").put("min_percentile", 0.5),
                        "activation_quant_params.min_percentile",
                        "(0.5, 1]"),
                layerCase(
                        "proj",
                        r -> {
                            ObjectNode a = act(r, "proj");
                            a.removeAll();
                            a.put("num_bits", 8).put("act_algo", "percentile").put("percentile", 0.4);
                        },
                        "activation_quant_params.percentile",
                        "(0.5, 1]"),
                // 0 < search_range[0] < search_range[1]
                layerCase(
                        "conv1",
                        r -> act(r, "conv1").putArray("search_range").add(1.3).add(0.7),
                        "activation_quant_params.search_range",
                        "0 < search_range[0] < search_range[1]"),
                layerCase(
                        "conv1",
                        r -> act(r, "conv1").putArray("search_range").add(0.0).add(1.3),
                        "activation_quant_params.search_range"),
                layerCase(
                        "conv1",
                        r -> act(r, "conv1").putArray("search_range").add(-0.5).add(1.3),
                        "activation_quant_params.search_range"),
                layerCase(
                        "conv1",
                        r -> act(r, "conv1").putArray("search_range").add(0.7).add(0.7),
                        "activation_quant_params.search_range"),
                // 0 < search_step <= width
                layerCase("fc1", r -> act(r, "fc1").put("search_step", 0.0), "activation_quant_params.search_step"),
                layerCase("fc1", r -> act(r, "fc1").put("search_step", -0.01), "activation_quant_params.search_step"),
                layerCase(
                        "fc1",
                        r -> act(r, "fc1").put("search_step", 0.61),
                        "activation_quant_params.search_step",
                        "search_range[1] - search_range[0]"),
                layerCase(
                        "fc1",
                        r -> act(r, "fc1").put("search_step", 1e-6),
                        "activation_quant_params.search_step",
                        "candidates"),
                // num_of_bins
                layerCase(
                        "proj",
                        r -> hfmg(r, "proj").put("num_of_bins", 1000),
                        "activation_quant_params.num_of_bins",
                        "1024"),
                layerCase(
                        "proj",
                        r -> hfmg(r, "proj").put("act_algo", "kl").put("num_of_bins", 512),
                        "activation_quant_params.num_of_bins"),
                // algorithm names and mixed keys
                layerCase(
                        "conv1",
                        r -> act(r, "conv1").put("act_algo", "IFMR"),
                        "activation_quant_params.act_algo 'IFMR'",
                        "'ifmr'"),
                layerCase(
                        "conv1",
                        r -> act(r, "conv1").put("num_of_bins", 4096),
                        "IFMR and HFMG keys must not be mixed",
                        "activation_quant_params.num_of_bins"),
                layerCase(
                        "pool1",
                        r -> hfmg(r, "pool1").put("search_step", 0.01),
                        "IFMR and HFMG keys must not be mixed",
                        "activation_quant_params.search_step"),
                layerCase(
                        "pool1",
                        r -> hfmg(r, "pool1").put("act_algo", "minmax"),
                        "activation_quant_params.num_of_bins",
                        "'minmax'"),
                // num_bits only 8, wts_algo only arq_quantize
                layerCase(
                        "conv1",
                        r -> act(r, "conv1").put("num_bits", 4),
                        "activation_quant_params.num_bits",
                        "must be 8"),
                layerCase(
                        "conv1", r -> wts(r, "conv1").put("num_bits", 16), "weight_quant_params.num_bits", "must be 8"),
                layerCase("conv1", r -> wts(r, "conv1").put("wts_algo", "arq"), "weight_quant_params.wts_algo 'arq'"),
                // top level
                topCase(r -> r.put("batch_num", 0), "batch_num", ">= 1"),
                topCase(r -> r.put("batch_num", -3), "batch_num", ">= 1"),
                topCase(r -> r.put("batch_num", "2"), "batch_num", "integer"),
                topCase(r -> r.put("batch_num", 3000000000L), "batch_num", "integer"),
                topCase(r -> r.put("version", 2), "version 2", "not supported"),
                topCase(r -> r.put("activation_offset", "true"), "activation_offset", "boolean"),
                topCase(r -> r.remove("do_fusion"), "missing key do_fusion"),
                topCase(r -> r.putArray("skip_fusion_layers").add(1), "skip_fusion_layers[0]", "string"),
                topCase(r -> r.putArray("skip_fusion_layers").add("conv1").add("conv1"), "skip_fusion_layers", "twice"),
                topCase(
                        r -> r.put("bias_overflow_policy", "explode"),
                        "bias_overflow_policy 'explode'",
                        "'adjust_weight_scale'"),
                topCase(r -> r.set("", r.get("conv1")), "empty name"));
    }

    @ParameterizedTest
    @MethodSource("brokenConfigs")
    void brokenConfigIsRefusedNamingKeyAndLayer(Consumer<ObjectNode> breakIt, String[] fragments) {
        ObjectNode tree = validTree();
        breakIt.accept(tree);
        String text = JSON.writeValueAsString(tree);
        assertThatThrownBy(() -> QuantConfigs.parse(text, "broken.json"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("quant config 'broken.json'")
                .hasMessageContainingAll(fragments);
    }

    @Test
    void theUnbrokenTreeIsValid() {
        String text = JSON.writeValueAsString(validTree());
        QuantConfig config = QuantConfigs.parse(text, "valid.json");
        assertThatCode(() -> QuantConfigs.validateAgainst(config, SCAN)).doesNotThrowAnyException();
    }

    @Test
    void everyBrokenLayerAndTopLevelKeyIsReportedAtOnce() {
        ObjectNode tree = validTree();
        act(tree, "conv1").put("search_step", 0.0);
        wts(tree, "proj").put("num_bits", 4);
        tree.put("batch_num", 0);
        String text = JSON.writeValueAsString(tree);
        assertThatThrownBy(() -> QuantConfigs.parse(text, "many.json"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("quant config 'many.json' has 3 problems")
                .hasMessageContaining("batch_num must be >= 1")
                .hasMessageContaining("layer 'conv1': activation_quant_params.search_step")
                .hasMessageContaining("layer 'proj': weight_quant_params.num_bits");
    }

    @Test
    void duplicateKeysAreRefusedWithTheirPath() {
        String text = QuantConfigs.toJson(ConfigFactory.create(SCAN, ConfigOptions.defaults()))
                .replaceFirst("\"search_step\": 0.01", "\"search_step\": 0.01, \"search_step\": 0.02");
        assertThatThrownBy(() -> QuantConfigs.parse(text, "dup.json"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("quant config 'dup.json' is not valid JSON at line 15, column 47")
                .hasMessageContaining("/conv1/activation_quant_params/search_step")
                .hasMessageContaining("Duplicate");
    }

    @Test
    void textThatIsNotOneJsonObjectIsRefused() {
        assertThatThrownBy(() -> QuantConfigs.parse("{\"version\": 1} trailing", "t.json"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'t.json' is not valid JSON at line 1");
        assertThatThrownBy(() -> QuantConfigs.parse("  ", "blank.json"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'blank.json' is empty");
        assertThatThrownBy(() -> QuantConfigs.parse("[1, 2]", "array.json"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("top level must be a JSON object");
    }

    @Test
    void channelWiseIsRefusedForGemmMatMulAndAveragePool() {
        ObjectNode tree = validTree();
        for (String layer : List.of("pool1", "fc1", "proj")) wts(tree, layer).put("channel_wise", true);
        QuantConfig config = QuantConfigs.parse(JSON.writeValueAsString(tree), "cw.json");
        assertThatThrownBy(() -> QuantConfigs.validateAgainst(config, SCAN))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("3 problems")
                .hasMessageContaining("layer 'pool1': weight_quant_params.channel_wise must be false for AveragePool")
                .hasMessageContaining("layer 'fc1': weight_quant_params.channel_wise must be false for Gemm")
                .hasMessageContaining("layer 'proj': weight_quant_params.channel_wise must be false for MatMul")
                .hasMessageNotContaining("'conv1'");

        ObjectNode perTensorConv = validTree();
        wts(perTensorConv, "conv1").put("channel_wise", false);
        QuantConfig allowed = QuantConfigs.parse(JSON.writeValueAsString(perTensorConv), "ok.json");
        assertThatCode(() -> QuantConfigs.validateAgainst(allowed, SCAN)).doesNotThrowAnyException();
    }

    @Test
    void layersThatAreNotQuantizableLayersOfTheModelAreNamed() {
        ObjectNode tree = validTree();
        tree.set("attn", tree.get("fc1").deepCopy());
        tree.set("ghost", tree.get("fc1").deepCopy());
        QuantConfig config = QuantConfigs.parse(JSON.writeValueAsString(tree), "extra.json");
        assertThatThrownBy(() -> QuantConfigs.validateAgainst(config, SCAN))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(
                        "layer 'attn' is not a quantizable layer of the model (MatMul: activation x activation")
                .hasMessageContaining("layer 'ghost' is not a quantizable layer of the model (no such node)");
    }

    @Test
    void skipFusionLayersMustNameConvNodes() {
        ObjectNode tree = validTree();
        tree.putArray("skip_fusion_layers").add("conv1").add("fc1").add("nowhere");
        QuantConfig config = QuantConfigs.parse(JSON.writeValueAsString(tree), "fusion.json");
        assertThatThrownBy(() -> QuantConfigs.validateAgainst(config, SCAN))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("skip_fusion_layers names 'fc1'")
                .hasMessageContaining("skip_fusion_layers names 'nowhere'")
                .hasMessageNotContaining("'conv1'");
    }

    @Test
    void quantizableLayersMissingFromTheConfigAreAllowed() {
        ObjectNode tree = validTree();
        tree.remove("proj");
        QuantConfig config = QuantConfigs.parse(JSON.writeValueAsString(tree), "partial.json");
        assertThatCode(() -> QuantConfigs.validateAgainst(config, SCAN)).doesNotThrowAnyException();
        assertThat(config.enabledLayers()).containsExactly("conv1", "pool1", "fc1");
    }
}
