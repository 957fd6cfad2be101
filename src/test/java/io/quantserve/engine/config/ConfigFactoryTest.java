package io.quantserve.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.layers.LayerFinder;
import io.quantserve.engine.layers.LayerScan;
import io.quantserve.engine.layers.LayerType;
import io.quantserve.engine.layers.QuantizableLayer;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.NodeNames;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.weights.BiasOverflowPolicy;
import io.quantserve.testing.SharedFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ConfigFactoryTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final LayerScan scan = ConfigTestModels.tinyScan();

    private static JsonNode tree(QuantConfig config) {
        return JSON.readTree(QuantConfigs.toJson(config));
    }

    private static List<String> keys(JsonNode node) {
        return new ArrayList<>(node.propertyNames());
    }

    @Test
    void defaultConfigHasAmctKeysDefaultsAndLayersInGraphOrder() {
        JsonNode root = tree(ConfigFactory.create(scan, ConfigOptions.defaults()));

        List<String> expectedKeys = new ArrayList<>(
                List.of("version", "batch_num", "activation_offset", "do_fusion", "skip_fusion_layers"));
        expectedKeys.addAll(ConfigTestModels.QUANTIZABLE);
        assertThat(keys(root)).containsExactlyElementsOf(expectedKeys);
        assertThat(root.get("version").isInt()).isTrue();
        assertThat(root.get("version").intValue()).isEqualTo(1);
        assertThat(root.get("batch_num").intValue()).isEqualTo(1);
        assertThat(root.get("activation_offset").isBoolean()).isTrue();
        assertThat(root.get("activation_offset").booleanValue()).isTrue();
        assertThat(root.get("do_fusion").booleanValue()).isTrue();
        assertThat(root.get("skip_fusion_layers").isArray()).isTrue();
        assertThat(root.get("skip_fusion_layers").size()).isZero();

        for (String name : ConfigTestModels.QUANTIZABLE) {
            JsonNode layer = root.get(name);
            assertThat(keys(layer))
                    .as(name)
                    .containsExactly("quant_enable", "activation_quant_params", "weight_quant_params");
            assertThat(layer.get("quant_enable").booleanValue()).isTrue();
            JsonNode act = layer.get("activation_quant_params");
            assertThat(keys(act))
                    .as(name)
                    .containsExactly(
                            "num_bits", "act_algo", "max_percentile", "min_percentile", "search_range", "search_step");
            assertThat(act.get("num_bits").intValue()).isEqualTo(8);
            assertThat(act.get("act_algo").stringValue()).isEqualTo("ifmr");
            assertThat(act.get("max_percentile").doubleValue()).isEqualTo(0.999999);
            assertThat(act.get("min_percentile").doubleValue()).isEqualTo(0.999999);
            assertThat(act.get("search_range").get(0).doubleValue()).isEqualTo(0.7);
            assertThat(act.get("search_range").get(1).doubleValue()).isEqualTo(1.3);
            assertThat(act.get("search_range").size()).isEqualTo(2);
            assertThat(act.get("search_step").doubleValue()).isEqualTo(0.01);
            JsonNode wts = layer.get("weight_quant_params");
            assertThat(keys(wts)).containsExactly("num_bits", "wts_algo", "channel_wise");
            assertThat(wts.get("num_bits").intValue()).isEqualTo(8);
            assertThat(wts.get("wts_algo").stringValue()).isEqualTo("arq_quantize");
            assertThat(wts.get("channel_wise").booleanValue())
                    .as(name + " channel_wise")
                    .isEqualTo(name.equals("conv1"));
        }
    }

    @Test
    void activationTimesActivationMatMulGetsNoEntry() {
        assertThat(scan.skipped()).extracting(s -> s.name()).containsExactly("attn");
        QuantConfig config = ConfigFactory.create(scan, ConfigOptions.defaults());
        assertThat(config.layers().keySet()).containsExactlyElementsOf(ConfigTestModels.QUANTIZABLE);
        assertThat(config.layer("attn")).isEmpty();
    }

    @Test
    void optionsReachTheTopLevelKeys() {
        QuantConfig config = ConfigFactory.create(
                scan,
                ConfigOptions.builder()
                        .batchNum(4)
                        .activationOffset(false)
                        .doFusion(false)
                        .skipFusionLayers(List.of("conv1"))
                        .biasOverflowPolicy(BiasOverflowPolicy.ADJUST_WEIGHT_SCALE)
                        .build());
        JsonNode root = tree(config);
        assertThat(root.get("batch_num").intValue()).isEqualTo(4);
        assertThat(root.get("activation_offset").booleanValue()).isFalse();
        assertThat(root.get("do_fusion").booleanValue()).isFalse();
        assertThat(root.get("skip_fusion_layers").get(0).stringValue()).isEqualTo("conv1");
        assertThat(keys(root).subList(0, 6))
                .containsExactly(
                        "version",
                        "batch_num",
                        "activation_offset",
                        "do_fusion",
                        "skip_fusion_layers",
                        "bias_overflow_policy");
        assertThat(root.get("bias_overflow_policy").stringValue()).isEqualTo("adjust_weight_scale");
        assertThat(config.asymmetric("conv1")).isFalse();
    }

    @Test
    void skippedLayersAreWrittenDisabledNotLeftOut() {
        QuantConfig config = ConfigFactory.create(
                scan, ConfigOptions.builder().skipLayers(List.of("fc1")).build());
        assertThat(config.layers().keySet()).containsExactlyElementsOf(ConfigTestModels.QUANTIZABLE);
        assertThat(config.layer("fc1").orElseThrow().quantEnable()).isFalse();
        assertThat(config.enabledLayers()).containsExactly("conv1", "pool1", "proj");
        assertThat(tree(config).get("fc1").get("quant_enable").booleanValue()).isFalse();
    }

    @Test
    void skipLayerTypesDisableEveryLayerOfThoseOperators() {
        QuantConfig config = ConfigFactory.create(
                scan,
                ConfigOptions.builder()
                        .skipLayerTypes(Set.of(LayerType.MATMUL, LayerType.AVERAGE_POOL))
                        .build());
        assertThat(config.enabledLayers()).containsExactly("conv1", "fc1");
    }

    @Test
    void unknownSkipNamesAreListedWithTheReason() {
        assertThatThrownBy(() -> ConfigFactory.create(
                        scan,
                        ConfigOptions.builder()
                                .skipLayers(List.of("conv1", "ghost", "attn"))
                                .build()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("skipLayers")
                .hasMessageContaining("'ghost' (no such layer)")
                .hasMessageContaining("'attn' (MatMul not quantizable: activation x activation MatMul")
                .hasMessageNotContaining("'conv1'");
    }

    @Test
    void overridesChangeOnlyTheirLayer() {
        QuantConfig config = ConfigFactory.create(
                scan,
                ConfigOptions.builder()
                        .override(
                                "conv1",
                                LayerOverride.none()
                                        .withAlgorithm(new ActivationAlgorithm.Hfmg(2048))
                                        .withAsymmetric(false)
                                        .withChannelWise(false))
                        .override("proj", LayerOverride.none().withQuantEnable(false))
                        .build());
        JsonNode conv = tree(config).get("conv1");
        JsonNode act = conv.get("activation_quant_params");
        assertThat(keys(act)).containsExactly("num_bits", "act_algo", "num_of_bins", "asymmetric");
        assertThat(act.get("act_algo").stringValue()).isEqualTo("hfmg");
        assertThat(act.get("num_of_bins").intValue()).isEqualTo(2048);
        assertThat(act.get("asymmetric").booleanValue()).isFalse();
        assertThat(conv.get("weight_quant_params").get("channel_wise").booleanValue())
                .isFalse();
        assertThat(config.asymmetric("conv1")).isFalse();
        assertThat(config.asymmetric("fc1")).isTrue();
        assertThat(config.enabledLayers()).containsExactly("conv1", "pool1", "fc1");
        assertThat(config.layer("fc1").orElseThrow().activation().algorithm())
                .isEqualTo(ActivationAlgorithm.Ifmr.DEFAULT);
    }

    @Test
    void defaultAlgorithmAppliesToEveryLayer() {
        QuantConfig config = ConfigFactory.create(
                scan,
                ConfigOptions.builder()
                        .defaultAlgorithm(new ActivationAlgorithm.MinMax())
                        .build());
        assertThat(config.layers().values())
                .allSatisfy(l -> assertThat(l.activation().algorithm().algo()).isEqualTo(ActAlgo.MINMAX));
        assertThat(keys(tree(config).get("fc1").get("activation_quant_params")))
                .containsExactly("num_bits", "act_algo");
    }

    @Test
    void channelWiseOverrideOnGemmIsRefusedNamingLayerAndKey() {
        assertThatThrownBy(() -> ConfigFactory.create(
                        scan,
                        ConfigOptions.builder()
                                .override("fc1", LayerOverride.none().withChannelWise(true))
                                .build()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("fc1")
                .hasMessageContaining("channel_wise")
                .hasMessageContaining("Gemm");
    }

    @Test
    void overrideOfUnknownLayerIsRefused() {
        assertThatThrownBy(() -> ConfigFactory.create(
                        scan,
                        ConfigOptions.builder()
                                .override("conv9", LayerOverride.none().withQuantEnable(false))
                                .build()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("overrides")
                .hasMessageContaining("'conv9' (no such layer)");
    }

    @Test
    void skipAndEnableOfTheSameLayerIsAContradiction() {
        assertThatThrownBy(() -> ConfigFactory.create(
                        scan,
                        ConfigOptions.builder()
                                .skipLayers(List.of("pool1"))
                                .override("pool1", LayerOverride.none().withQuantEnable(true))
                                .build()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("pool1")
                .hasMessageContaining("quant_enable");
    }

    @Test
    void skipLayerTypesCanBeOverriddenPerLayer() {
        QuantConfig config = ConfigFactory.create(
                scan,
                ConfigOptions.builder()
                        .skipLayerTypes(Set.of(LayerType.MATMUL))
                        .override("proj", LayerOverride.none().withQuantEnable(true))
                        .build());
        assertThat(config.layer("proj").orElseThrow().quantEnable()).isTrue();
    }

    @Test
    void badTopLevelOptionsAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> ConfigFactory.create(
                        scan, ConfigOptions.builder().batchNum(0).build()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("batch_num");
        assertThatThrownBy(() -> ConfigFactory.create(
                        scan,
                        ConfigOptions.builder().skipFusionLayers(List.of("fc1")).build()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("skip_fusion_layers")
                .hasMessageContaining("fc1");
    }

    @Test
    void duplicateOrReservedLayerNamesAreRefused() {
        QuantizableLayer conv = scan.layer("conv1").orElseThrow();
        LayerScan twice = new LayerScan(List.of(conv, conv), List.of());
        assertThatThrownBy(() -> ConfigFactory.create(twice, ConfigOptions.defaults()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("conv1")
                .hasMessageContaining("NodeNames.normalize");

        QuantizableLayer reserved = new QuantizableLayer(
                "batch_num", LayerType.CONV, "", "x", "w1", null, new long[] {4, 3, 3, 3}, 1, false);
        assertThatThrownBy(() ->
                        ConfigFactory.create(new LayerScan(List.of(reserved), List.of()), ConfigOptions.defaults()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("layer 'batch_num'");
    }

    @Test
    void sameScanAndOptionsGiveTheSameBytes() {
        ConfigOptions options = ConfigOptions.builder()
                .skipLayers(List.of("proj"))
                .override("conv1", LayerOverride.none().withAlgorithm(ActivationAlgorithm.Kl.DEFAULT))
                .build();
        String first = QuantConfigs.toJson(ConfigFactory.create(ConfigTestModels.tinyScan(), options));
        String second = QuantConfigs.toJson(ConfigFactory.create(ConfigTestModels.tinyScan(), options));
        assertThat(second).isEqualTo(first);
    }

    @Test
    void unnamedAndDuplicateNodesAreKeyedByTheirNormalisedNames() {
        ModelProto model = ConfigTestModels.tinyModel();
        var graph = model.getGraph().toBuilder();
        graph.getNodeBuilder(0).setName(""); // conv1
        graph.getNodeBuilder(3).setName("pool1"); // fc1 takes pool1's name
        graph.getNodeBuilder(4).setName(""); // proj
        ModelProto messy = model.toBuilder().setGraph(graph).build();

        NodeNames.Result normalized = NodeNames.normalize(messy);
        LayerScan renamed = LayerFinder.scan(normalized.model());
        QuantConfig config = ConfigFactory.create(renamed, ConfigOptions.defaults());

        assertThat(config.layers().keySet()).containsExactly("Conv_0", "pool1", "Gemm_0", "MatMul_0");
        assertThat(config.layer("Conv_0").orElseThrow().weight().channelWise()).isTrue();
        assertThat(config.layer("Gemm_0").orElseThrow().weight().channelWise()).isFalse();
        assertThatThrownBy(() -> ConfigFactory.create(LayerFinder.scan(messy), ConfigOptions.defaults()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("NodeNames.normalize");
    }

    @Test
    void mnistModelGetsAValidConfigAfterNameNormalisation() {
        ModelProto model =
                ModelIo.load(SharedFixtures.shared("models/mnist_cnn.onnx")).proto();
        LayerScan mnist = LayerFinder.scan(NodeNames.normalize(model).model());
        assertThat(mnist.layers())
                .extracting(QuantizableLayer::name)
                .as("quantizable layers of mnist_cnn (Conv x2, Gemm x2)")
                .containsExactly("/conv1/Conv", "/conv2/Conv", "/fc1/Gemm", "/fc2/Gemm");

        QuantConfig config = ConfigFactory.create(mnist, ConfigOptions.defaults());

        assertThat(config.layers().keySet())
                .containsExactlyElementsOf(
                        mnist.layers().stream().map(QuantizableLayer::name).toList());
        assertThat(config.layers().keySet()).allSatisfy(name -> assertThat(name).isNotEmpty());
        for (QuantizableLayer layer : mnist.layers()) {
            assertThat(config.layer(layer.name()).orElseThrow().weight().channelWise())
                    .as(layer.toString())
                    .isEqualTo(layer.type() == LayerType.CONV);
        }
        String json = QuantConfigs.toJson(config);
        QuantConfig back = QuantConfigs.parse(json, "mnist");
        assertThat(back).isEqualTo(config);
        assertThat(QuantConfigs.toJson(back)).isEqualTo(json);
        QuantConfigs.validateAgainst(back, mnist);
    }
}
