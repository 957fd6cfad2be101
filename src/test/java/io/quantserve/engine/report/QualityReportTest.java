package io.quantserve.engine.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.quantserve.engine.calibration.data.BatchPlan;
import io.quantserve.engine.calibration.data.BatchStream;
import io.quantserve.engine.calibration.data.CalibrationData;
import io.quantserve.engine.export.Manifest;
import io.quantserve.engine.pipeline.QuantizeResult;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.engine.verify.ModelComparison;
import io.quantserve.engine.verify.OutputMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** report.json of real runs on the all-layer-kinds sample model: structure first, then numerics. */
class QualityReportTest {
    private static final List<String> LAYERS = List.of("conv", "deconv", "pool", "fc", "proj");

    @TempDir
    Path tmp;

    private static JsonNode read(Path file) throws Exception {
        return JsonMapper.builder().build().readTree(Files.readString(file));
    }

    private static List<String> keys(JsonNode node) {
        return List.copyOf(node.propertyNames());
    }

    private static JsonNode layer(JsonNode report, String name) {
        return StreamSupport.stream(report.get("layers").spliterator(), false)
                .filter(l -> l.get("name").asString().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void everyQuantizeRunPublishesTheReportWithTheManifest() throws Exception {
        QuantizeResult r = new ReportFixtures(tmp).quantize("out");

        assertThat(r.artefacts()).contains("report.json", "report.html");
        JsonNode manifest = read(r.outDir().resolve("manifest.json"));
        for (String f : List.of("report.json", "report.html")) {
            assertThat(manifest.get("outputs").get(f).get("sha256").asString())
                    .as(f)
                    .isEqualTo(Manifest.digest(r.outDir().resolve(f)).sha256());
        }
    }

    @Test
    void reportHasOneEntryPerLayerInGraphOrderWithStableKeys() throws Exception {
        JsonNode report = read(new ReportFixtures(tmp).quantize("out").outDir().resolve("report.json"));

        assertThat(keys(report))
                .containsExactly(
                        "schema_version",
                        "model",
                        "mode",
                        "activation_algorithm",
                        "replay",
                        "layers",
                        "sensitivity",
                        "float_layers",
                        "notes");
        assertThat(report.get("schema_version").asInt()).isEqualTo(1);
        assertThat(report.get("mode").asString()).isEqualTo("quantize");
        assertThat(report.get("replay").get("batches").asInt()).isEqualTo(2);
        List<String> names = new ArrayList<>();
        report.get("layers").forEach(l -> names.add(l.get("name").asString()));
        assertThat(names).containsExactlyElementsOf(LAYERS);
        JsonNode conv = layer(report, "conv");
        assertThat(keys(conv))
                .containsExactly(
                        "index",
                        "name",
                        "op_type",
                        "scope",
                        "activation",
                        "weight",
                        "bias",
                        "input",
                        "output",
                        "flags");
        assertThat(keys(conv.get("activation"))).containsExactly("scale_d", "offset_d", "clip_min", "clip_max");
        assertThat(keys(conv.get("weight")))
                .containsExactly(
                        "scale_w",
                        "channels",
                        "zero_channels",
                        "sqnr_db",
                        "worst_channel",
                        "worst_channel_sqnr_db",
                        "max_rel_error",
                        "mean_rel_error");
        assertThat(keys(conv.get("input")))
                .containsExactly(
                        "status",
                        "values",
                        "clip_ratio",
                        "below",
                        "above",
                        "observed_min",
                        "observed_max",
                        "histogram");
        assertThat(keys(conv.get("output")))
                .containsExactly("status", "tensor", "sqnr_db", "cosine", "isolated_sqnr_db", "isolated_cosine");
        assertThat(keys(report.get("sensitivity")))
                .containsExactly("basis", "rule", "median_db", "threshold_db", "ranking", "suggested_skip_layers");
        assertThat(conv.get("op_type").asString()).isEqualTo("Conv");
        assertThat(conv.get("scope").asString()).isEmpty();
        assertThat(layer(report, "pool").get("weight").isNull()).isTrue();
        assertThat(layer(report, "proj").get("bias").isNull()).isTrue();
        assertThat(layer(report, "deconv").get("weight").get("channels").asInt())
                .isEqualTo(6);
    }

    @Test
    void eightBitLayersOnUniformDataHaveHighSqnrAndNoFlags() throws Exception {
        JsonNode report = read(new ReportFixtures(tmp).quantize("out").outDir().resolve("report.json"));

        for (String name : LAYERS) {
            JsonNode l = layer(report, name);
            JsonNode out = l.get("output");
            assertThat(out.get("status").asString()).as(name).isEqualTo("measured");
            assertThat(out.get("isolated_sqnr_db").asDouble()).as(name).isBetween(20.0, 100.0);
            assertThat(out.get("sqnr_db").asDouble()).as(name).isBetween(20.0, 100.0);
            assertThat(out.get("isolated_cosine").asDouble()).as(name).isBetween(0.999, 1.0);
            JsonNode in = l.get("input");
            JsonNode hist = in.get("histogram");
            assertThat(hist.get("counts").size()).isEqualTo(StreamingHistogram.BINS);
            long sum = 0;
            for (JsonNode c : hist.get("counts")) sum += c.asLong();
            assertThat(sum)
                    .as(name + " histogram holds every value")
                    .isEqualTo(in.get("values").asLong());
            assertThat(hist.get("lo").asDouble())
                    .isLessThanOrEqualTo(in.get("observed_min").asDouble());
            assertThat(hist.get("hi").asDouble())
                    .isGreaterThanOrEqualTo(in.get("observed_max").asDouble());
            if (l.get("weight").isNull()) continue;
            JsonNode w = l.get("weight");
            if (w.get("scale_w").get("count").asInt() > 1) {
                // Per-channel ARQ: |W − q·s_c| ≤ s_c/2 = max|W_c|/254 in every channel.
                assertThat(w.get("max_rel_error").asDouble()).as(name).isLessThanOrEqualTo(1 / 254.0 * 1.001);
            }
            assertThat(w.get("mean_rel_error").asDouble()).as(name).isBetween(1e-4, 1e-2);
            assertThat(w.get("sqnr_db").asDouble()).as(name).isGreaterThan(40);
        }
        // The first layer reads the graph input x itself: its MinMax range holds every replayed value.
        assertThat(layer(report, "conv").get("input").get("clip_ratio").asDouble())
                .isZero();
        assertThat(layer(report, "conv").get("input").get("values").asLong()).isEqualTo(2 * 4 * 2 * 6 * 6);
        assertThat(layer(report, "conv").get("bias").get("int32_range_used").asDouble())
                .isBetween(0.0, 1e-3);
        assertThat(report.get("sensitivity").get("suggested_skip_layers").size())
                .isZero();
        assertThat(report.get("sensitivity").get("ranking").size()).isEqualTo(5);
    }

    @Test
    void outputMetricsAgreeWithAWholeModelComparison() throws Exception {
        ReportFixtures f = new ReportFixtures(tmp);
        QuantizeResult r = f.quantize("out");
        JsonNode report = read(r.outDir().resolve("report.json"));

        // Nothing is quantized before the first layer, so alone and in the model are the same computation.
        JsonNode conv = layer(report, "conv").get("output");
        assertThat(conv.get("sqnr_db").asDouble())
                .isCloseTo(conv.get("isolated_sqnr_db").asDouble(), within(1e-3));
        // The last layer writes the graph output y: its in-model SQNR is the whole model's SQNR on the same batches.
        List<Map<String, Tensor>> batches = new ArrayList<>();
        try (InferenceSession s = InferenceSession.open(f.model, SessionSettings.defaults());
                CalibrationData data = CalibrationData.open(f.data);
                BatchStream stream = data.batches(s.inputs(), new BatchPlan(ReportFixtures.BATCH, 2))) {
            stream.forEachRemaining(batches::add);
        }
        OutputMetrics whole = ModelComparison.compare(
                        f.model,
                        r.outDir().resolve("tiny_fake_quant_model.onnx"),
                        batches.iterator(),
                        SessionSettings.unoptimized())
                .getFirst();
        JsonNode proj = layer(report, "proj").get("output");
        assertThat(proj.get("tensor").asString()).isEqualTo("y");
        assertThat(proj.get("sqnr_db").asDouble()).isCloseTo(whole.sqnrDb(), within(1e-3));
        assertThat(proj.get("cosine").asDouble()).isCloseTo(whole.cosine(), within(1e-8));
        // Errors accumulate along the chain: the last layer is worse in the model than alone.
        assertThat(proj.get("sqnr_db").asDouble())
                .isLessThan(proj.get("isolated_sqnr_db").asDouble());
    }

    @Test
    void aLayerGivenABadScaleInAnEditedRecordRanksFirstAndClips() throws Exception {
        ReportFixtures f = new ReportFixtures(tmp);
        QuantizeResult q = f.quantize("first");
        QuantizeResult bad = f.saveEdited(q, r -> ReportFixtures.narrowed(r, "fc", 8f), true, "bad");
        JsonNode report = read(bad.outDir().resolve("report.json"));

        assertThat(report.get("mode").asString()).isEqualTo("save");
        JsonNode fc = layer(report, "fc");
        assertThat(fc.get("input").get("clip_ratio").asDouble()).isGreaterThan(0.5);
        assertThat(fc.get("flags").get(0).asString()).isEqualTo("clip-ratio-above-1-percent");
        assertThat(fc.get("output").get("isolated_sqnr_db").asDouble()).isLessThan(10);
        JsonNode sensitivity = report.get("sensitivity");
        assertThat(sensitivity.get("basis").asString()).isEqualTo("isolated_output_sqnr_db");
        assertThat(sensitivity.get("ranking").get(0).get("name").asString()).isEqualTo("fc");
        assertThat(sensitivity.get("ranking").get(0).get("rank").asInt()).isEqualTo(1);
        assertThat(sensitivity.get("suggested_skip_layers").size()).isEqualTo(1);
        assertThat(sensitivity.get("suggested_skip_layers").get(0).asString()).isEqualTo("fc");
        // The layer after it suffers in the model but not alone: the ranking does not blame it.
        JsonNode proj = layer(report, "proj").get("output");
        assertThat(proj.get("sqnr_db").asDouble()).isLessThan(10);
        assertThat(proj.get("isolated_sqnr_db").asDouble()).isGreaterThan(30);
        for (String other : List.of("conv", "deconv", "pool", "proj")) {
            assertThat(layer(report, other).get("input").get("clip_ratio").asDouble())
                    .as(other)
                    .isLessThan(0.01);
        }
    }

    @Test
    void aTooWideRangeIsFlaggedAsUsingFewLevels() throws Exception {
        ReportFixtures f = new ReportFixtures(tmp);
        QuantizeResult q = f.quantize("first");
        QuantizeResult wide = f.saveEdited(q, r -> ReportFixtures.narrowed(r, "conv", 1 / 32f), true, "wide");
        JsonNode conv = layer(read(wide.outDir().resolve("report.json")), "conv");

        assertThat(conv.get("flags").get(0).asString()).isEqualTo("few-levels-used");
        assertThat(conv.get("input").get("clip_ratio").asDouble()).isZero();
        assertThat(conv.get("output").get("isolated_sqnr_db").asDouble()).isLessThan(25);
    }

    @Test
    void saveWithoutDataReportsWeightMetricsAndMarksActivationsNotMeasured() throws Exception {
        ReportFixtures f = new ReportFixtures(tmp);
        QuantizeResult q = f.quantize("first");
        QuantizeResult s = f.saveEdited(q, r -> r, false, "nodata");
        assertThat(s.artefacts()).contains("report.json", "report.html");
        JsonNode report = read(s.outDir().resolve("report.json"));

        assertThat(report.get("replay").get("batches").asInt()).isZero();
        assertThat(report.get("replay").get("status").asString()).startsWith("not measured: no data given");
        for (String name : LAYERS) {
            JsonNode l = layer(report, name);
            assertThat(l.get("input").get("status").asString()).as(name).isEqualTo("not measured: no data given");
            assertThat(l.get("input").get("clip_ratio").isNull()).isTrue();
            assertThat(l.get("input").get("histogram").isNull()).isTrue();
            assertThat(l.get("output").get("status").asString()).isEqualTo("not measured: no data given");
            assertThat(l.get("output").get("sqnr_db").isNull()).isTrue();
            assertThat(l.get("output").get("isolated_sqnr_db").isNull()).isTrue();
            assertThat(l.get("activation").get("scale_d").asDouble()).isPositive();
        }
        assertThat(layer(report, "fc").get("weight").get("sqnr_db").asDouble()).isGreaterThan(40);
        assertThat(layer(report, "conv").get("bias").get("max_abs_int32").asLong())
                .isPositive();
        JsonNode sensitivity = report.get("sensitivity");
        assertThat(sensitivity.get("basis").asString()).isEqualTo("weight_sqnr_db");
        assertThat(sensitivity.get("ranking").size())
                .as("AveragePool has no weight")
                .isEqualTo(4);
        assertThat(sensitivity.get("ranking").get(0).get("amct_score").isNull()).isTrue();
    }
}
