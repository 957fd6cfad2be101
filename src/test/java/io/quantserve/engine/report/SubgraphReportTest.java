package io.quantserve.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.calibration.data.NpzWriter;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.pipeline.QuantizationPipeline;
import io.quantserve.engine.pipeline.QuantizeRequest;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.ControlFlowModels;
import io.quantserve.testing.TinyModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Layers inside If/Loop bodies are measured through the same taps as calibration. */
class SubgraphReportTest {
    @TempDir
    Path tmp;

    private JsonNode quantize(OnnxModel model, Tensor x) throws Exception {
        Path file = tmp.resolve("m.onnx");
        ModelIo.save(model, file);
        Path data = tmp.resolve("x.npz");
        var arrays = new LinkedHashMap<String, Tensor>();
        arrays.put("x", x);
        NpzWriter.write(data, arrays, false);
        Path out = tmp.resolve("out");
        QuantizationPipeline.quantize(
                new QuantizeRequest(file, data, null, ConfigOptions.defaults(), 4, 4, out, 2), ProgressListener.NONE);
        return JsonMapper.builder().build().readTree(Files.readString(out.resolve("report.json")));
    }

    private static JsonNode layer(JsonNode report, String name) {
        return StreamSupport.stream(report.get("layers").spliterator(), false)
                .filter(l -> l.get("name").asString().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void layersInALoopAndInItsIfBranchesAreMeasured() throws Exception {
        JsonNode report = quantize(ControlFlowModels.loopWithIf(), TinyModel.random(78, -1f, 1f, 16, 4));

        for (String name : new String[] {"mm_then", "mm_else", "mm_main"}) {
            JsonNode l = layer(report, name);
            assertThat(l.get("output").get("status").asString()).as(name).isEqualTo("measured");
            assertThat(l.get("output").get("isolated_sqnr_db").asDouble())
                    .as(name)
                    .isGreaterThan(20);
            assertThat(l.get("output").get("sqnr_db").asDouble()).as(name).isGreaterThan(20);
            assertThat(l.get("input").get("values").asLong()).as(name).isPositive();
        }
        assertThat(layer(report, "mm_then").get("scope").asString()).contains("/");
    }

    @Test
    void aBranchNeverTakenIsFlaggedAndReportedAsNotMeasured() throws Exception {
        // Every sample has a negative mean, so the then-branch never runs during calibration or the replay.
        float[] x = TinyModel.random(77, -1f, 1f, 16, 2, 5, 5).toFloats();
        for (int i = 0; i < x.length; i++) x[i] -= 0.4f;
        JsonNode report = quantize(ControlFlowModels.ifWithConvs(), Tensor.ofFloats(new long[] {16, 2, 5, 5}, x));

        JsonNode never = layer(report, "conv_then");
        assertThat(never.get("activation").get("scale_d").asDouble()).isEqualTo(1.0);
        assertThat(never.get("flags").get(0).asString()).isEqualTo("scale-d-is-1");
        assertThat(never.get("input").get("status").asString()).startsWith("not measured: the layer computed nothing");
        assertThat(never.get("output").get("sqnr_db").isNull()).isTrue();
        assertThat(never.get("weight").get("sqnr_db").asDouble())
                .as("weights are measured anyway")
                .isGreaterThan(30);
        JsonNode taken = layer(report, "conv_else");
        assertThat(taken.get("output").get("status").asString()).isEqualTo("measured");
        assertThat(taken.get("output").get("isolated_sqnr_db").asDouble()).isGreaterThan(20);
        assertThat(report.get("sensitivity").get("ranking").size()).isEqualTo(2);
    }
}
