package io.quantserve.service.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.config.ActivationAlgorithm;
import io.quantserve.engine.layers.LayerType;
import io.quantserve.engine.weights.BiasOverflowPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Request options: defaults, inheritance from a re-exported job, validation, mapping to the engine's options. */
class JobRequestTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void defaultsAreAmcts() {
        JobOptions o = request(null, null, null, null).options(null).validate();
        assertThat(o.batchSize()).isEqualTo(JobOptions.DEFAULT_BATCH_SIZE);
        assertThat(o.batchNum()).isNull();
        assertThat(o.algorithm()).isEqualTo(ActivationAlgorithm.amctDefault());
        assertThat(o.configOptions().biasOverflowPolicy()).isEqualTo(BiasOverflowPolicy.FAIL);
    }

    @Test
    void aReExportInheritsWhatTheRequestLeavesOut() {
        JobOptions base =
                new JobOptions(null, List.of("a"), List.of("Gemm"), 8, 4, "hfmg", "skip_layer", List.of(), null, null);
        JobOptions o = request(List.of("a", "b"), null, null, null).options(base);
        assertThat(o.skipLayers()).containsExactly("a", "b");
        assertThat(o.skipLayerTypes()).containsExactly("Gemm");
        assertThat(o.batchSize()).isEqualTo(8);
        assertThat(o.batchNum()).isEqualTo(4);
        assertThat(o.actAlgo()).isEqualTo("hfmg");
        assertThat(o.configOptions().skipLayerTypes()).containsExactly(LayerType.GEMM);
        assertThat(o.configOptions().defaultAlgorithm()).isEqualTo(ActivationAlgorithm.Hfmg.DEFAULT);
    }

    @Test
    void aStatedConfigReplacesTheInheritedOverridesAndTheOtherWayRound() {
        var config = JSON.readTree("{\"batch_num\":2}");
        JobOptions typed = new JobOptions(null, List.of("a"), List.of(), 8, null, "kl", null, List.of(), null, null);
        JobOptions withConfig = new JobRequest(
                        null, null, null, null, config, null, null, null, null, null, null, null, null, null)
                .options(typed);
        assertThat(withConfig.config()).isEqualTo(config);
        assertThat(withConfig.skipLayers()).isEmpty();
        assertThat(withConfig.actAlgo()).isNull();
        withConfig.validate();

        JobOptions configured =
                new JobOptions(config, List.of(), List.of(), 8, null, null, null, List.of(), null, null);
        JobOptions typedAgain = request(null, "minmax", null, null).options(configured);
        assertThat(typedAgain.config()).isNull();
        assertThat(typedAgain.algorithm()).isEqualTo(new ActivationAlgorithm.MinMax());
    }

    @Test
    void invalidOptionsNameTheKey() {
        assertThatThrownBy(
                        () -> request(null, "magic", null, null).options(null).validate())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("act_algo 'magic'");
        assertThatThrownBy(
                        () -> request(null, null, "never", null).options(null).validate())
                .hasMessageContaining("bias_overflow_policy 'never'");
        assertThatThrownBy(() ->
                        request(null, null, null, List.of("Relu")).options(null).validate())
                .hasMessageContaining("skip_layer_types names 'Relu'");
        assertThatThrownBy(() -> new JobOptions(
                                JSON.readTree("[1]"), List.of(), List.of(), 1, null, null, null, List.of(), null, null)
                        .validate())
                .hasMessageContaining("config must be a JSON object");
        assertThatThrownBy(() -> new JobOptions(
                                JSON.readTree("{}"),
                                List.of("x"),
                                List.of(),
                                1,
                                null,
                                null,
                                null,
                                List.of(),
                                null,
                                null)
                        .validate())
                .hasMessageContaining("either config or the overrides");
    }

    private static JobRequest request(List<String> skip, String algo, String policy, List<String> skipTypes) {
        return new JobRequest(
                null, null, null, null, null, skip, skipTypes, null, null, algo, policy, null, null, null);
    }
}
