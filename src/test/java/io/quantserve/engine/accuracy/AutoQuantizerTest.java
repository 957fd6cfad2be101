package io.quantserve.engine.accuracy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.QuantServeException;
import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.config.QuantConfig;
import io.quantserve.engine.config.QuantConfigs;
import io.quantserve.engine.export.Manifest;
import io.quantserve.engine.export.RecordFile;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.testing.SensitiveChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The search on {@link SensitiveChain}: eight MatMul layers, one of them ruined by an outlier input channel. Cosine
 * against the float model is the metric (all-INT8 about 0.3, that layer in float above 0.999).
 */
class AutoQuantizerTest {
    private static final int LAYERS = 8;
    private static final int SENSITIVE = 5;

    @TempDir
    Path tmp;

    private AutoQuantizeRequest request(SensitiveChain chain, AccuracyMetric metric, AccuracyTarget target, Path out) {
        return new AutoQuantizeRequest(
                chain.quantize(out), chain.evaluation, 64, metric, target, RankBy.ISOLATED_SQNR, null);
    }

    private static AccuracyMetric cosine(SensitiveChain chain) {
        return BuiltInMetric.COSINE.create(chain.evaluation, null, null);
    }

    @Test
    void keepsExactlyTheSensitiveLayerInFloatAndMeetsTheTarget() throws Exception {
        SensitiveChain chain = new SensitiveChain(tmp, LAYERS, SENSITIVE);
        Path out = tmp.resolve("out");
        AutoQuantizeResult r = AutoQuantizer.run(
                request(chain, cosine(chain), new AccuracyTarget.MaxDrop(0.01), out), ProgressListener.NONE);

        assertThat(r.floatValue()).isEqualTo(1.0);
        assertThat(r.allInt8Value()).isLessThan(0.9);
        assertThat(r.layersInFloat()).containsExactly(SensitiveChain.layer(SENSITIVE));
        assertThat(r.finalValue()).isGreaterThanOrEqualTo(0.99);
        assertThat(r.quantizedLayers()).hasSize(LAYERS - 1).doesNotContain(SensitiveChain.layer(SENSITIVE));
        // Binary search: all-INT8, then k = 7 (every candidate but one), then halving down to k = 1.
        int maxFloat = LAYERS - 1;
        assertThat(r.candidates()).hasSizeLessThanOrEqualTo(2 + ceilLog2(maxFloat));
        assertThat(r.candidates()).extracting(Candidate::floatCount).containsExactly(0, 7, 3, 1);
        assertThat(r.candidates()).extracting(Candidate::passed).containsExactly(false, true, true, true);

        // The normal artefacts of the chosen candidate, plus the two search files and a manifest covering all.
        assertThat(r.artefacts())
                .containsExactly(
                        "chain_deploy_model.onnx",
                        "chain_fake_quant_model.onnx",
                        "chain_int8_model.onnx",
                        "quant_config.json",
                        "record.txt",
                        "report.html",
                        "report.json",
                        "rollback_history.json",
                        "sensitivity.json",
                        "manifest.json");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(r.artefacts());
        }
        QuantConfig config = QuantConfigs.read(out.resolve("quant_config.json"));
        assertThat(config.layers().keySet()).hasSize(LAYERS);
        List<String> disabled = new ArrayList<>(config.layers().keySet());
        disabled.removeAll(config.enabledLayers());
        assertThat(disabled).containsExactly(SensitiveChain.layer(SENSITIVE));
        assertThat(RecordFile.read(out.resolve("record.txt")))
                .hasSize(LAYERS - 1)
                .doesNotContainKey(SensitiveChain.layer(SENSITIVE));
        // In the fake-quant model only the kept layer reads its float input directly; the others read a Sub (the
        // end of the quantize-dequantize chain).
        List<NodeProto> nodes = ModelIo.load(out.resolve("chain_fake_quant_model.onnx"))
                .proto()
                .getGraph()
                .getNodeList();
        for (int i = 0; i < LAYERS; i++) {
            String name = SensitiveChain.layer(i);
            String input = nodes.stream()
                    .filter(n -> n.getName().equals(name))
                    .findFirst()
                    .orElseThrow()
                    .getInput(0);
            String producer = nodes.stream()
                    .filter(n -> n.getOutputList().contains(input))
                    .map(NodeProto::getOpType)
                    .findFirst()
                    .orElse("graph input");
            assertThat(producer).as(name).isEqualTo(i == SENSITIVE ? "Mul" : "Sub");
        }

        JsonNode manifest = json(out.resolve("manifest.json"));
        assertThat(manifest.get("options").get("mode").asString()).isEqualTo("auto-quantize");
        assertThat(manifest.get("options").get("export").get("mode").asString()).isEqualTo("save");
        assertThat(manifest.get("options").get("calibration").get("mode").asString())
                .isEqualTo("quantize");
        assertThat(manifest.get("inputs").propertyNames()).containsExactlyInAnyOrder("model", "data", "evaluation");
        for (String a : r.artefacts()) {
            if (a.equals("manifest.json")) continue;
            assertThat(manifest.get("outputs").get(a).get("sha256").asString())
                    .as(a)
                    .isEqualTo(Manifest.digest(out.resolve(a)).sha256());
        }
        assertNoStagingLeftIn(tmp);
    }

    @Test
    void sensitivityAndHistoryFilesDescribeTheSearch() throws Exception {
        SensitiveChain chain = new SensitiveChain(tmp, LAYERS, SENSITIVE);
        Path out = tmp.resolve("out");
        AutoQuantizeResult r = AutoQuantizer.run(
                request(chain, cosine(chain), new AccuracyTarget.MaxDrop(0.01), out), ProgressListener.NONE);

        JsonNode sensitivity = json(out.resolve("sensitivity.json"));
        assertThat(sensitivity.get("schema_version").asInt()).isEqualTo(1);
        assertThat(sensitivity.get("ranked_by").asString()).isEqualTo("sqnr");
        JsonNode layers = sensitivity.get("layers");
        assertThat(layers).hasSize(LAYERS);
        for (int i = 0; i < layers.size(); i++) {
            JsonNode l = layers.get(i);
            assertThat(l.propertyNames())
                    .containsExactly("rank", "name", "isolated_sqnr_db", "amct_score", "kept_in_float");
            assertThat(l.get("rank").asInt()).isEqualTo(i + 1);
            assertThat(l.get("kept_in_float").asBoolean()).isEqualTo(i == 0);
            if (i > 0) {
                assertThat(l.get("isolated_sqnr_db").asDouble())
                        .isGreaterThanOrEqualTo(
                                layers.get(i - 1).get("isolated_sqnr_db").asDouble());
            }
            assertThat(l.get("amct_score").asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(layers.get(0).get("name").asString()).isEqualTo(SensitiveChain.layer(SENSITIVE));
        // The outlier layer's own error is orders of magnitude above every other layer's.
        assertThat(layers.get(0).get("isolated_sqnr_db").asDouble()).isLessThan(10);
        assertThat(layers.get(1).get("isolated_sqnr_db").asDouble()).isGreaterThan(25);
        assertThat(sensitivity.get("not_ranked")).isEmpty();

        JsonNode history = json(out.resolve("rollback_history.json"));
        assertThat(history.get("metric").asString()).isEqualTo("cosine");
        assertThat(history.get("float_value").asDouble()).isEqualTo(1.0);
        assertThat(history.get("threshold").asDouble()).isCloseTo(0.99, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(history.get("max_float_layers").asInt()).isEqualTo(LAYERS - 1);
        assertThat(history.get("chosen_k").asInt()).isEqualTo(1);
        JsonNode candidates = history.get("candidates");
        assertThat(candidates).hasSize(r.candidates().size());
        for (int i = 0; i < candidates.size(); i++) {
            JsonNode c = candidates.get(i);
            Candidate expected = r.candidates().get(i);
            assertThat(c.propertyNames()).containsExactly("step", "k", "layers_in_float", "value", "drop", "passed");
            assertThat(c.get("step").asInt()).isEqualTo(i + 1);
            assertThat(c.get("k").asInt()).isEqualTo(expected.floatCount());
            assertThat(c.get("layers_in_float")).hasSize(expected.floatCount());
            assertThat(c.get("value").asDouble()).isEqualTo(expected.value());
            assertThat(c.get("drop").asDouble()).isEqualTo(1.0 - expected.value());
            assertThat(c.get("passed").asBoolean()).isEqualTo(expected.passed());
        }
        assertThat(candidates.get(3).get("layers_in_float").get(0).asString())
                .isEqualTo(SensitiveChain.layer(SENSITIVE));
    }

    @Test
    void allInt8MeetingTheTargetIsPublishedAsIs() throws Exception {
        SensitiveChain chain = new SensitiveChain(tmp, 4, -1);
        Path out = tmp.resolve("out");
        AutoQuantizeResult r = AutoQuantizer.run(
                request(
                        chain,
                        BuiltInMetric.TOP1.create(chain.evaluation, null, null),
                        new AccuracyTarget.MaxDrop(5.0),
                        out),
                ProgressListener.NONE);

        assertThat(r.unit()).isEqualTo("%");
        assertThat(r.floatValue()).isEqualTo(100.0);
        assertThat(r.allInt8Value()).isGreaterThanOrEqualTo(95.0).isEqualTo(r.finalValue());
        assertThat(r.layersInFloat()).isEmpty();
        assertThat(r.candidates()).hasSize(1);
        assertThat(r.quantizedLayers()).containsExactly("fc0", "fc1", "fc2", "fc3");
        assertThat(json(out.resolve("manifest.json"))
                        .get("options")
                        .get("export")
                        .get("mode")
                        .asString())
                .isEqualTo("quantize");
        assertThat(json(out.resolve("rollback_history.json")).get("chosen_k").asInt())
                .isZero();
        assertThat(json(out.resolve("sensitivity.json")).get("layers")).hasSize(4);
    }

    @Test
    void anUnreachableTargetFailsClearlyAndPublishesNothing() throws Exception {
        SensitiveChain chain = new SensitiveChain(tmp, 4, 2);
        Path out = tmp.resolve("out");
        AccuracyMetric sqnr = BuiltInMetric.SQNR.create(chain.evaluation, null, null);
        // 150 dB is beyond INT8: even with 3 of 4 layers in float the remaining one stays near 40 dB.
        assertThatThrownBy(() -> AutoQuantizer.run(
                        request(chain, sqnr, new AccuracyTarget.AtLeast(150), out), ProgressListener.NONE))
                .isInstanceOfSatisfying(AccuracyTargetUnreachableException.class, e -> {
                    assertThat(e.code()).isEqualTo("accuracy-target-unreachable");
                    assertThat(e.layersInFloat()).hasSize(3).startsWith("fc2");
                    assertThat(e.candidates()).extracting(Candidate::floatCount).containsExactly(0, 3);
                    assertThat(e.bestValue()).isLessThan(150).isGreaterThan(20);
                    assertThat(e.getMessage())
                            .contains("metric sqnr cannot meet the target (at least 150.0 dB")
                            .contains("even with the 3 most sensitive layer(s) in float " + e.layersInFloat())
                            .contains("best reached " + e.bestValue() + " dB")
                            .contains("nothing was written");
                });
        assertThat(out).doesNotExist();
        assertNoStagingLeftIn(tmp);
    }

    @Test
    void aDropFromAnInfiniteFloatValueIsRefused() {
        SensitiveChain chain = new SensitiveChain(tmp, 2, -1);
        Path out = tmp.resolve("out");
        AccuracyMetric sqnr = BuiltInMetric.SQNR.create(chain.evaluation, null, null);
        assertThatThrownBy(() -> AutoQuantizer.run(
                        request(chain, sqnr, new AccuracyTarget.MaxDrop(3), out), ProgressListener.NONE))
                .isInstanceOf(QuantServeException.class)
                .hasMessageContaining("the float model's value is Infinity")
                .hasMessageContaining("give a floor");
        assertThat(out).doesNotExist();
    }

    @Test
    void maxFloatLayersBoundsTheSearch() {
        SensitiveChain chain = new SensitiveChain(tmp, 4, 2);
        Path out = tmp.resolve("out");
        AccuracyMetric sqnr = BuiltInMetric.SQNR.create(chain.evaluation, null, null);
        assertThatThrownBy(() -> AutoQuantizer.run(
                        new AutoQuantizeRequest(
                                chain.quantize(out),
                                chain.evaluation,
                                64,
                                sqnr,
                                new AccuracyTarget.AtLeast(150),
                                RankBy.AMCT_SCORE,
                                1),
                        ProgressListener.NONE))
                .isInstanceOfSatisfying(AccuracyTargetUnreachableException.class, e -> {
                    assertThat(e.layersInFloat()).containsExactly("fc2");
                    assertThat(e.candidates()).hasSize(2);
                });
        assertThat(out).doesNotExist();
    }

    static int ceilLog2(int n) {
        return 32 - Integer.numberOfLeadingZeros(n - 1);
    }

    private static JsonNode json(Path file) throws Exception {
        return JsonMapper.builder().build().readTree(Files.readString(file));
    }

    private static void assertNoStagingLeftIn(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("staging"));
        }
    }
}
