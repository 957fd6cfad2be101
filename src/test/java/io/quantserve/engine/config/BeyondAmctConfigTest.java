package io.quantserve.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.layers.LayerScan;
import io.quantserve.engine.layers.LayerType;
import io.quantserve.engine.layers.QuantizableLayer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The config keys beyond AMCT's default file: {@code matmul_channel_wise} (top level, QuantServe) and
 * {@code dmq_balancer_param} (per layer, AMCT's optional DMQ key). A default config has neither.
 */
class BeyondAmctConfigTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final LayerScan SCAN = ConfigTestModels.tinyScan();

    private static ObjectNode tree(QuantConfig config) {
        return (ObjectNode) JSON.readTree(QuantConfigs.toJson(config));
    }

    private static QuantConfig parse(JsonNode tree) {
        return QuantConfigs.parse(JSON.writeValueAsString(tree), "beyond.json");
    }

    @Test
    void defaultConfigCarriesNeitherKey() {
        String json = QuantConfigs.toJson(ConfigFactory.create(SCAN, ConfigOptions.defaults()));
        assertThat(json).doesNotContain("matmul_channel_wise").doesNotContain("dmq_balancer_param");
        assertThat(QuantConfigs.parse(json, "d.json").matMulChannelWise()).isEqualTo(MatMulChannelWise.OFF);
    }

    @Test
    void channelWiseGemmAndMatMulStayAnErrorWithoutTheOptIn() {
        ObjectNode t = tree(ConfigFactory.create(SCAN, ConfigOptions.defaults()));
        ((ObjectNode) t.get("fc1").get("weight_quant_params")).put("channel_wise", true);
        QuantConfig config = parse(t);
        assertThatThrownBy(() -> QuantConfigs.validateAgainst(config, SCAN))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("layer 'fc1': weight_quant_params.channel_wise must be false for Gemm")
                .hasMessageContaining("matmul_channel_wise");

        t.put("matmul_channel_wise", "portable");
        assertThatCode(() -> QuantConfigs.validateAgainst(parse(t), SCAN)).doesNotThrowAnyException();
    }

    @Test
    void optInDefaultsGemmAndMatMulToPerColumnAndRoundTrips() {
        for (MatMulChannelWise mode : List.of(MatMulChannelWise.PORTABLE, MatMulChannelWise.ALL)) {
            QuantConfig config = ConfigFactory.create(
                    SCAN, ConfigOptions.builder().matMulChannelWise(mode).build());
            ObjectNode t = tree(config);
            assertThat(t.get("matmul_channel_wise").stringValue()).isEqualTo(mode.jsonName());
            for (String layer : List.of("conv1", "fc1", "proj")) {
                assertThat(config.layer(layer).orElseThrow().weight().channelWise())
                        .as(layer)
                        .isTrue();
            }
            assertThat(config.layer("pool1").orElseThrow().weight().channelWise())
                    .isFalse();
            QuantConfig back = QuantConfigs.parse(QuantConfigs.toJson(config), "rt.json");
            assertThat(back).isEqualTo(config);
            assertThat(QuantConfigs.toJson(back)).isEqualTo(QuantConfigs.toJson(config));
        }
        QuantConfig perTensorFc = ConfigFactory.create(
                SCAN,
                ConfigOptions.builder()
                        .matMulChannelWise(MatMulChannelWise.PORTABLE)
                        .override("fc1", LayerOverride.none().withChannelWise(false))
                        .build());
        assertThat(perTensorFc.layer("fc1").orElseThrow().weight().channelWise())
                .isFalse();
    }

    @Test
    void averagePoolIsNeverChannelWiseAndUnknownModesAreNamed() {
        ObjectNode t = tree(ConfigFactory.create(
                SCAN,
                ConfigOptions.builder().matMulChannelWise(MatMulChannelWise.ALL).build()));
        ((ObjectNode) t.get("pool1").get("weight_quant_params")).put("channel_wise", true);
        assertThatThrownBy(() -> QuantConfigs.validateAgainst(parse(t), SCAN))
                .hasMessageContaining("layer 'pool1': weight_quant_params.channel_wise must be false for AveragePool");
        t.put("matmul_channel_wise", "sometimes");
        assertThatThrownBy(() -> parse(t))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("matmul_channel_wise 'sometimes' is not one of 'off', 'portable', 'all'");
    }

    @Test
    void globalDmqParameterGoesToEveryWeightLayerAndOverridesChangeOrRemoveIt() {
        QuantConfig config = ConfigFactory.create(
                SCAN,
                ConfigOptions.builder()
                        .dmqBalancerParam(0.5)
                        .override("fc1", LayerOverride.none().withDmqBalancerParam(LayerOverride.DMQ_OFF))
                        .override("proj", LayerOverride.none().withDmqBalancerParam(0.75))
                        .build());
        assertThat(config.layer("conv1").orElseThrow().dmqBalancerParam()).isEqualTo(0.5);
        assertThat(config.layer("fc1").orElseThrow().dmqBalancerParam()).isNull();
        assertThat(config.layer("proj").orElseThrow().dmqBalancerParam()).isEqualTo(0.75);
        assertThat(config.layer("pool1").orElseThrow().dmqBalancerParam())
                .as("AveragePool has no weight to balance into")
                .isNull();
        assertThat(config.balancedLayers()).containsExactly("conv1", "proj");

        ObjectNode t = tree(config);
        assertThat(new ArrayList<>(t.get("conv1").propertyNames()))
                .as("AMCT's key order")
                .containsExactly(
                        "quant_enable", "dmq_balancer_param", "activation_quant_params", "weight_quant_params");
        assertThat(t.get("conv1").get("dmq_balancer_param").doubleValue()).isEqualTo(0.5);
        assertThat(t.get("fc1").has("dmq_balancer_param")).isFalse();
        QuantConfig back = parse(t);
        assertThat(back).isEqualTo(config);
        assertThat(QuantConfigs.toJson(back)).isEqualTo(QuantConfigs.toJson(config));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "1.5", "-0.2", "\"0.5\"", "true"})
    void dmqParameterOutsideTheOpenUnitIntervalOrNotANumberIsRefused(String value) {
        ObjectNode t = tree(ConfigFactory.create(SCAN, ConfigOptions.defaults()));
        ((ObjectNode) t.get("conv1")).set("dmq_balancer_param", JSON.readTree(value));
        assertThatThrownBy(() -> parse(t))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("layer 'conv1'")
                .hasMessageContaining("dmq_balancer_param");
        assertThatThrownBy(() -> ConfigOptions.builder()
                        .dmqBalancerParam(Double.parseDouble("1.5"))
                        .build())
                .isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void dmqOnAveragePoolOrInsideASubgraphDoesNotFitTheModel() {
        ObjectNode t = tree(ConfigFactory.create(SCAN, ConfigOptions.defaults()));
        ((ObjectNode) t.get("pool1")).put("dmq_balancer_param", 0.5);
        assertThatThrownBy(() -> QuantConfigs.validateAgainst(parse(t), SCAN))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("layer 'pool1': dmq_balancer_param is not supported for AveragePool");

        QuantizableLayer inBody = new QuantizableLayer(
                "inner", LayerType.CONV, "If_0/then_branch", "x", "w", null, new long[] {4, 3, 3, 3}, 1, false);
        assertThat(QuantConfigs.supportsDmq(inBody)).isFalse();
        LayerScan scan = new LayerScan(List.of(inBody), List.of());
        QuantConfig config = new QuantConfig(
                1,
                1,
                true,
                true,
                List.of(),
                io.quantserve.engine.weights.BiasOverflowPolicy.FAIL,
                new java.util.LinkedHashMap<>(java.util.Map.of(
                        "inner",
                        new LayerConfig(
                                true,
                                ActivationQuantParams.of(ActivationAlgorithm.amctDefault()),
                                WeightQuantParams.arq(true),
                                0.5))));
        assertThatThrownBy(() -> QuantConfigs.validateAgainst(config, scan))
                .hasMessageContaining("layer 'inner': dmq_balancer_param is not supported for a layer inside a"
                        + " subgraph (If_0/then_branch)");
    }
}
