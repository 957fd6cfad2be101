package io.quantserve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.calibration.data.NpzWriter;
import io.quantserve.engine.config.QuantConfigs;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.QuantizeArgs;
import io.quantserve.testing.SampleModels;
import io.quantserve.testing.TinyModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Drives the command line in-process, as a user would, and checks exit codes, JSON output and files. */
class QuantServeCliTest {
    @TempDir
    Path tmp;

    private Path model;
    private Path data;

    record Run(int code, String out, String err) {
        JsonNode json() {
            return JsonMapper.builder().build().readTree(out);
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = QuantServeCli.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeEach
    void fixtures() {
        model = tmp.resolve("tiny.onnx");
        ModelIo.save(SampleModels.allLayerKinds(), model);
        data = tmp.resolve("calib.npz");
        var arrays = new LinkedHashMap<String, Tensor>();
        arrays.put("x", TinyModel.random(7, -1f, 1f, 12, 2, 6, 6));
        NpzWriter.write(data, arrays, true);
    }

    @Test
    void inspectListsLayersAsJson() {
        Run r = run("inspect", "--model", model.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = r.json();
        assertThat(json.get("opset").asInt()).isEqualTo(13);
        assertThat(json.get("quantizableLayers").size()).isEqualTo(5);
        assertThat(json.get("inputs").get(0).get("name").asString()).isEqualTo("x");
    }

    @Test
    void createConfigWritesAnAmctConfigHonouringSkipsAndBatchNum() {
        Path cfg = tmp.resolve("cfg.json");
        Run r = run(
                "create-config",
                "--model",
                model.toString(),
                "--skip-layers",
                "fc",
                "--batch-num",
                "3",
                "--out",
                cfg.toString());
        assertThat(r.code()).as(r.err()).isZero();
        var config = QuantConfigs.read(cfg);
        assertThat(config.batchNum()).isEqualTo(3);
        assertThat(config.enabledLayers()).containsExactly("conv", "deconv", "pool", "proj");

        Path overridden = tmp.resolve("over.json");
        Run o = run(
                "create-config",
                "--model",
                model.toString(),
                "--override",
                "conv:channel_wise=false,act_algo=hfmg",
                "--override",
                "proj:quant_enable=false",
                "--out",
                overridden.toString());
        assertThat(o.code()).as(o.err()).isZero();
        var oc = QuantConfigs.read(overridden);
        assertThat(oc.layer("conv").orElseThrow().weight().channelWise()).isFalse();
        assertThat(oc.layer("conv").orElseThrow().activation().algorithm())
                .isInstanceOf(io.quantserve.engine.config.ActivationAlgorithm.Hfmg.class);
        assertThat(oc.enabledLayers()).doesNotContain("proj");
        Run badOverride = run(
                "create-config",
                "--model",
                model.toString(),
                "--override",
                "conv:colour=red",
                "--out",
                tmp.resolve("y.json").toString());
        assertThat(badOverride.code()).isEqualTo(QuantServeCli.EXIT_REFUSED);
        assertThat(badOverride.err()).contains("conv").contains("colour");

        Run bad = run(
                "create-config",
                "--model",
                model.toString(),
                "--skip-layers",
                "nope",
                "--out",
                tmp.resolve("x.json").toString());
        assertThat(bad.code()).isEqualTo(QuantServeCli.EXIT_REFUSED);
        assertThat(bad.err()).contains("error [invalid-config]").contains("nope");
    }

    @Test
    void quantizeThenSaveThenEvaluate() {
        Path out = tmp.resolve("out");
        Run q = run(QuantizeArgs.of(model, data, 4, 3, out).toArray(String[]::new));
        assertThat(q.code()).as(q.err()).isZero();
        assertThat(q.err()).contains("calibrate").contains("batch 3/3");
        assertThat(q.json().get("quantizedLayers").size()).isEqualTo(5);
        assertThat(out.resolve("tiny_int8_model.onnx")).isRegularFile();

        Path saved = tmp.resolve("saved");
        Run s = run(
                "save",
                "--model",
                model.toString(),
                "--config",
                out.resolve("quant_config.json").toString(),
                "--record",
                out.resolve("record.txt").toString(),
                "--out",
                saved.toString());
        assertThat(s.code()).as(s.err()).isZero();
        assertThat(saved.resolve("tiny_deploy_model.onnx")).isRegularFile();

        Run e = run(
                "evaluate",
                "--reference",
                model.toString(),
                "--candidate",
                out.resolve("tiny_fake_quant_model.onnx").toString(),
                "--data",
                data.toString());
        assertThat(e.code()).as(e.err()).isZero();
        JsonNode m = e.json().get(0);
        assertThat(m.get("output").asString()).isEqualTo("y");
        assertThat(m.get("samples").asLong()).isEqualTo(12);
        assertThat(m.get("cosine").asDouble()).isGreaterThan(0.99);
    }

    @Test
    void quantizeFromStatisticsNeedsNoDataAndAppliesAnotherSkipList() {
        Path out = tmp.resolve("out");
        Run q = run("quantize", "--model", model.toString(), "--data", data.toString(), "--out", out.toString());
        assertThat(q.code()).as(q.err()).isZero();
        Path statistics = out.resolve("statistics.bin");
        assertThat(statistics).isRegularFile();

        Path again = tmp.resolve("again");
        Run r = run(
                "quantize",
                "--model",
                model.toString(),
                "--from-stats",
                statistics.toString(),
                "--skip-layers",
                "fc",
                "--out",
                again.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("calibrate");
        JsonNode json = r.json();
        assertThat(json.get("quantizedLayers").size()).isEqualTo(4);
        assertThat(json.get("notes").toString()).contains("approximation: the statistics were observed");
        assertThat(again.resolve("tiny_deploy_model.onnx")).isRegularFile();

        Run usage = run("quantize", "--model", model.toString(), "--out", again.toString());
        assertThat(usage.code()).isEqualTo(QuantServeCli.EXIT_USAGE);
        assertThat(usage.err()).contains("--data or --from-stats").doesNotContain("internal");

        Run missing = run(
                "quantize",
                "--model",
                model.toString(),
                "--from-stats",
                tmp.resolve("nope.bin").toString(),
                "--out",
                again.toString());
        assertThat(missing.code()).isEqualTo(QuantServeCli.EXIT_REFUSED);
        assertThat(missing.err()).contains("error [invalid-data]").contains("nope.bin");
    }

    @Test
    void wrongShapeDataIsRefusedNamingTheInputAndWritesNothing() {
        Path wrong = tmp.resolve("wrong.npz");
        var arrays = new LinkedHashMap<String, Tensor>();
        arrays.put("x", TinyModel.random(7, -1f, 1f, 4, 3, 6, 6));
        NpzWriter.write(wrong, arrays, false);
        Path out = tmp.resolve("out");
        Run r = run("quantize", "--model", model.toString(), "--data", wrong.toString(), "--out", out.toString());
        assertThat(r.code()).isEqualTo(QuantServeCli.EXIT_REFUSED);
        assertThat(r.err()).contains("error [invalid-data]").contains("'x'");
        assertThat(out).doesNotExist();
    }

    @Test
    void malformedModelAndBadUsageHaveDistinctExitCodes() throws Exception {
        Path junk = tmp.resolve("junk.onnx");
        Files.writeString(junk, "not a model");
        Run r = run("inspect", "--model", junk.toString());
        assertThat(r.code()).isEqualTo(QuantServeCli.EXIT_REFUSED);
        assertThat(r.err()).contains("error [invalid-model]").doesNotContain("Exception");

        assertThat(run("quantize", "--model", model.toString()).code()).isEqualTo(QuantServeCli.EXIT_USAGE);
    }
}
