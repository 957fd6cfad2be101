package io.quantserve.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.weights.BiasOverflowPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.SequencedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantConfigJsonTest {
    @TempDir
    Path tmp;

    /** A config using every algorithm, an asymmetric override, a fusion skip and a non-default policy. */
    private static QuantConfig everyFeature() {
        SequencedMap<String, LayerConfig> layers = new LinkedHashMap<>();
        layers.put(
                "conv1",
                new LayerConfig(
                        true,
                        new ActivationQuantParams(
                                8, new ActivationAlgorithm.Ifmr(0.9999, 0.999, 0.8, 1.2, 0.02), false),
                        WeightQuantParams.arq(true)));
        layers.put(
                "pool1",
                new LayerConfig(
                        false,
                        ActivationQuantParams.of(ActivationAlgorithm.Hfmg.DEFAULT),
                        WeightQuantParams.arq(false)));
        layers.put(
                "fc1",
                new LayerConfig(
                        true,
                        new ActivationQuantParams(8, new ActivationAlgorithm.MinMax(), true),
                        WeightQuantParams.arq(false)));
        layers.put(
                "proj",
                new LayerConfig(
                        true,
                        ActivationQuantParams.of(new ActivationAlgorithm.Percentile(0.99995)),
                        WeightQuantParams.arq(false)));
        layers.put(
                "Conv_0",
                new LayerConfig(
                        true, ActivationQuantParams.of(new ActivationAlgorithm.Kl(8192)), WeightQuantParams.arq(true)));
        return new QuantConfig(1, 3, false, true, List.of("conv1"), BiasOverflowPolicy.SKIP_LAYER, layers);
    }

    @Test
    void writeReadWriteIsByteIdenticalAndReadGivesAnEqualConfig() {
        QuantConfig config = everyFeature();
        String json = QuantConfigs.toJson(config);
        QuantConfig back = QuantConfigs.parse(json, "every-feature");
        assertThat(back).isEqualTo(config);
        assertThat(back.layers().keySet()).containsExactly("conv1", "pool1", "fc1", "proj", "Conv_0");
        assertThat(QuantConfigs.toJson(back)).isEqualTo(json);
    }

    @Test
    void doublesReadBackBitIdentical() {
        Random random = new Random(20260101L);
        for (int i = 0; i < 2000; i++) {
            double max = Math.nextUp(0.5) + random.nextDouble() * 0.5;
            double min = Math.nextUp(0.5) + random.nextDouble() * 0.5;
            double start = 0.01 + random.nextDouble();
            double end = start + 0.001 + random.nextDouble() * 3;
            double step = (end - start) / (1 + random.nextInt(500));
            ActivationAlgorithm.Ifmr ifmr = new ActivationAlgorithm.Ifmr(max, min, start, end, step);
            SequencedMap<String, LayerConfig> layers = new LinkedHashMap<>();
            layers.put("l", new LayerConfig(true, ActivationQuantParams.of(ifmr), WeightQuantParams.arq(false)));
            QuantConfig config = new QuantConfig(1, 1, true, true, List.of(), BiasOverflowPolicy.FAIL, layers);

            String json = QuantConfigs.toJson(config);
            assertThat(json).contains("\"max_percentile\": " + Double.toString(max) + ",\n");
            ActivationAlgorithm back = QuantConfigs.parse(json, "random")
                    .layer("l")
                    .orElseThrow()
                    .activation()
                    .algorithm();
            // Record equality compares double components with Double.compare, i.e. bit for bit here.
            assertThat(back).as(json).isEqualTo(ifmr);
            assertThat(QuantConfigs.toJson(QuantConfigs.parse(json, "random"))).isEqualTo(json);
        }
    }

    @Test
    void layoutIsFourSpaceIndentInlineArraysAndAFinalNewline() {
        String json = QuantConfigs.toJson(everyFeature());
        assertThat(json)
                .startsWith("{\n    \"version\": 1,\n    \"batch_num\": 3,\n")
                .contains("\n    \"skip_fusion_layers\": [\"conv1\"],\n")
                .contains("\n    \"bias_overflow_policy\": \"skip_layer\",\n")
                .contains("\n    \"conv1\": {\n        \"quant_enable\": true,\n")
                .contains("\n            \"search_range\": [0.8, 1.2],\n")
                .contains("\n            \"asymmetric\": false\n        },\n")
                .endsWith("\n    }\n}\n")
                .doesNotContain("\t")
                .doesNotContain("\r")
                .doesNotContain(" : ");
        String empty = QuantConfigs.toJson(
                new QuantConfig(1, 1, true, true, List.of(), BiasOverflowPolicy.FAIL, new LinkedHashMap<>()));
        assertThat(empty).isEqualTo("""
                {
                    "version": 1,
                    "batch_num": 1,
                    "activation_offset": true,
                    "do_fusion": true,
                    "skip_fusion_layers": []
                }
                """);
    }

    @Test
    void readsTheAmctReferenceExample() {
        QuantConfig config = QuantConfigs.parse("""
                { "version": 1, "batch_num": 2, "activation_offset": true, "do_fusion": true, "skip_fusion_layers": [],
                  "conv1": { "quant_enable": true,
                             "activation_quant_params": { "num_bits": 8, "act_algo": "ifmr", "max_percentile": 0.999999,
                                "min_percentile": 0.999999, "search_range": [0.7, 1.3], "search_step": 0.01, "asymmetric": false },
                             "weight_quant_params": { "num_bits": 8, "wts_algo": "arq_quantize", "channel_wise": true } },
                  "fc": { "quant_enable": true,
                          "activation_quant_params": { "num_bits": 8, "act_algo": "hfmg", "num_of_bins": 4096 },
                          "weight_quant_params": { "num_bits": 8, "wts_algo": "arq_quantize", "channel_wise": false } } }
                """, "amct-example");
        assertThat(config.batchNum()).isEqualTo(2);
        assertThat(config.biasOverflowPolicy()).isEqualTo(BiasOverflowPolicy.FAIL);
        LayerConfig conv = config.layer("conv1").orElseThrow();
        assertThat(conv.activation()).isEqualTo(new ActivationQuantParams(8, ActivationAlgorithm.Ifmr.DEFAULT, false));
        assertThat(conv.weight()).isEqualTo(WeightQuantParams.arq(true));
        assertThat(config.asymmetric("conv1")).isFalse();
        assertThat(config.asymmetric("fc")).isTrue();
        assertThat(config.layer("fc").orElseThrow().activation().algorithm())
                .isEqualTo(new ActivationAlgorithm.Hfmg(4096));
    }

    @Test
    void acceptsBoundaryValuesAndIntegersForFractions() {
        QuantConfig config = QuantConfigs.parse("""
                {"version": 1, "batch_num": 1, "activation_offset": false, "do_fusion": false, "skip_fusion_layers": [],
                 "bias_overflow_policy": "fail",
                 "a": {"quant_enable": true,
                       "activation_quant_params": {"num_bits": 8, "act_algo": "ifmr", "max_percentile": 1,
                          "min_percentile": 1.0, "search_range": [1, 3], "search_step": 2},
                       "weight_quant_params": {"num_bits": 8, "wts_algo": "arq_quantize", "channel_wise": false}}}
                """, "bounds");
        assertThat(config.layer("a").orElseThrow().activation().algorithm())
                .isEqualTo(new ActivationAlgorithm.Ifmr(1.0, 1.0, 1.0, 3.0, 2.0));
        assertThat(QuantConfigs.toJson(config)).doesNotContain("bias_overflow_policy");
    }

    @Test
    void fileWriteAndReadRoundTrip() throws Exception {
        Path file = tmp.resolve("sub/quant_config.json");
        QuantConfigs.write(everyFeature(), file);
        assertThat(Files.readString(file)).isEqualTo(QuantConfigs.toJson(everyFeature()));
        assertThat(QuantConfigs.read(file)).isEqualTo(everyFeature());
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing).containsExactly(file);
        }
    }

    @Test
    void missingFileIsAConfigError() {
        Path missing = tmp.resolve("nope.json");
        assertThatThrownBy(() -> QuantConfigs.read(missing))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(missing.toString());
    }
}
