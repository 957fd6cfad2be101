package io.quantserve.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.LayerQuantizationException;
import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.calibration.data.NpzWriter;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.export.LayerRecord;
import io.quantserve.engine.export.Manifest;
import io.quantserve.engine.export.RecordFile;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.engine.weights.BiasOverflowPolicy;
import io.quantserve.testing.SampleModels;
import io.quantserve.testing.TinyModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class QuantizationPipelineTest {
    @TempDir
    Path tmp;

    private Path model;
    private Path data;

    private void writeFixtures(float[] poison) {
        model = tmp.resolve("tiny.onnx");
        ModelIo.save(SampleModels.allLayerKinds(), model);
        data = tmp.resolve("calib.npz");
        float[] x = TinyModel.random(42, -1f, 1f, 16, 2, 6, 6).toFloats();
        if (poison != null) System.arraycopy(poison, 0, x, 5 * 72, poison.length);
        var arrays = new LinkedHashMap<String, Tensor>();
        arrays.put("x", Tensor.ofFloats(new long[] {16, 2, 6, 6}, x));
        NpzWriter.write(data, arrays, false);
    }

    private QuantizeRequest request(Path out) {
        return new QuantizeRequest(model, data, null, ConfigOptions.defaults(), 4, 4, out, 2);
    }

    @Test
    void quantizePublishesEveryArtefactWithAMatchingManifest() throws Exception {
        writeFixtures(null);
        Path out = tmp.resolve("out");
        QuantizeResult result = QuantizationPipeline.quantize(request(out), ProgressListener.NONE);

        assertThat(result.artefacts())
                .containsExactly(
                        "quant_config.json",
                        "record.txt",
                        "tiny_fake_quant_model.onnx",
                        "tiny_deploy_model.onnx",
                        "tiny_int8_model.onnx",
                        "report.json",
                        "report.html",
                        "statistics.bin",
                        "manifest.json");
        assertThat(result.quantizedLayers()).containsExactly("conv", "deconv", "pool", "fc", "proj");
        assertThat(result.parity()).isNotNull();
        assertThat(result.parity().maxAbsDiff()).isLessThanOrEqualTo(1e-4);
        assertThat(result.parity().outputs())
                .isNotEmpty()
                .allSatisfy(o -> assertThat(o.elements()).isPositive());
        for (String a : result.artefacts()) assertThat(out.resolve(a)).isRegularFile();
        // The checks run on the report replay's runs; the report still carries their notes.
        JsonNode report = JsonMapper.builder().build().readTree(Files.readString(out.resolve("report.json")));
        List<String> reportNotes = new ArrayList<>();
        report.get("notes").forEach(n -> reportNotes.add(n.asString()));
        assertThat(reportNotes).isEqualTo(result.notes());
        assertThat(reportNotes)
                .anySatisfy(n -> assertThat(n).startsWith("prepared float model vs original: max abs diff "))
                .anySatisfy(n -> assertThat(n).startsWith("deploy parity: max |deploy - fake_quant| = "))
                .anySatisfy(n -> assertThat(n).startsWith("int8 model: max |int8 - fake_quant| = "));

        JsonNode manifest = JsonMapper.builder().build().readTree(Files.readString(out.resolve("manifest.json")));
        for (String a : result.artefacts()) {
            if (a.equals("manifest.json")) continue;
            assertThat(manifest.get("outputs").get(a).get("sha256").asString())
                    .as(a)
                    .isEqualTo(Manifest.digest(out.resolve(a)).sha256());
        }
        assertThat(manifest.get("inputs").get("model").get("sha256").asString())
                .isEqualTo(Manifest.digest(model).sha256());
        Map<String, LayerRecord> record = RecordFile.read(out.resolve("record.txt"));
        assertThat(record).containsOnlyKeys("conv", "deconv", "pool", "fc", "proj");
        try (Stream<Path> leftovers = Files.list(tmp)) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("staging"));
        }
    }

    @Test
    void sameInputsGiveByteIdenticalArtefacts() throws Exception {
        writeFixtures(null);
        QuantizeResult a = QuantizationPipeline.quantize(request(tmp.resolve("a")), ProgressListener.NONE);
        QuantizationPipeline.quantize(request(tmp.resolve("b")), ProgressListener.NONE);
        for (String f : a.artefacts()) {
            assertThat(Files.readAllBytes(tmp.resolve("b").resolve(f)))
                    .as(f)
                    .isEqualTo(Files.readAllBytes(tmp.resolve("a").resolve(f)));
        }
    }

    @Test
    void saveFromTheRecordReproducesTheModelsAndHonoursEdits() throws Exception {
        writeFixtures(null);
        Path first = tmp.resolve("first");
        QuantizeResult q = QuantizationPipeline.quantize(request(first), ProgressListener.NONE);

        Path again = tmp.resolve("again");
        QuantizationPipeline.save(
                new SaveRequest(model, first.resolve("quant_config.json"), first.resolve("record.txt"), data, 4, again),
                ProgressListener.NONE);
        for (String f : List.of("tiny_fake_quant_model.onnx", "tiny_deploy_model.onnx", "tiny_int8_model.onnx")) {
            assertThat(Files.readAllBytes(again.resolve(f))).as(f).isEqualTo(Files.readAllBytes(first.resolve(f)));
        }

        // Hand-edit: double scale_d of the Gemm; the re-exported fake-quant model must change and still verify.
        String text = Files.readString(first.resolve("record.txt"));
        Map<String, LayerRecord> rec = RecordFile.parse(text, "record");
        LayerRecord fc = rec.get("fc");
        Map<String, LayerRecord> edited = new LinkedHashMap<>(rec);
        edited.put("fc", new LayerRecord(fc.scaleD() * 2, fc.offsetD(), fc.scaleW(), fc.offsetW()));
        Path editedRecord = tmp.resolve("edited.txt");
        RecordFile.write(edited, editedRecord);
        Path changed = tmp.resolve("changed");
        QuantizeResult s = QuantizationPipeline.save(
                new SaveRequest(model, first.resolve("quant_config.json"), editedRecord, data, 4, changed),
                ProgressListener.NONE);
        assertThat(RecordFile.read(changed.resolve("record.txt")).get("fc").scaleD())
                .isEqualTo(fc.scaleD() * 2);
        assertThat(Files.readAllBytes(changed.resolve("tiny_fake_quant_model.onnx")))
                .isNotEqualTo(Files.readAllBytes(first.resolve("tiny_fake_quant_model.onnx")));
        assertThat(s.parity().passed()).isTrue();
        assertThat(q.quantizedLayers()).isEqualTo(s.quantizedLayers());
    }

    @Test
    void nanInCalibrationDataFailsNamingInputAndSampleAndPublishesNothing() throws Exception {
        writeFixtures(new float[] {Float.NaN});
        Path out = tmp.resolve("out");
        assertThatThrownBy(() -> QuantizationPipeline.quantize(request(out), ProgressListener.NONE))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("'x'")
                .hasMessageContaining("5");
        assertThat(out).doesNotExist();
        try (Stream<Path> leftovers = Files.list(tmp)) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("staging"));
        }
    }

    @Test
    void failingRunLeavesAnExistingOutputFolderUntouched() throws Exception {
        writeFixtures(null);
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("keep.txt"), "previous");
        writeFixtures(new float[] {Float.POSITIVE_INFINITY});
        assertThatThrownBy(() -> QuantizationPipeline.quantize(request(out), ProgressListener.NONE))
                .isInstanceOf(InvalidDataException.class);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files).containsExactly(out.resolve("keep.txt"));
        }
    }

    /** A Conv whose bias is huge next to tiny weights and inputs: round(b / (scale_w·scale_d)) overflows INT32. */
    private void writeBiasOverflowFixtures() {
        model = tmp.resolve("bias.onnx");
        ModelIo.save(
                TinyModel.create()
                        .input("x", DataType.FLOAT, 0, 1, 4, 4)
                        .initializer("w", TinyModel.random(1, -1e-4f, 1e-4f, 2, 1, 3, 3))
                        .initializer("b", Tensor.ofFloats(new long[] {2}, new float[] {5e3f, 0.1f}))
                        .namedNode(
                                "conv",
                                "Conv",
                                List.of("x", "w", "b"),
                                List.of("h"),
                                Attributes.ofInts("pads", 1, 1, 1, 1))
                        .initializer("w2", TinyModel.random(2, -0.5f, 0.5f, 2, 2, 1, 1))
                        .namedNode("mix", "Conv", List.of("h", "w2"), List.of("y"))
                        .output("y", DataType.FLOAT, 0, 2, 4, 4)
                        .build(),
                model);
        data = tmp.resolve("small.npz");
        var arrays = new LinkedHashMap<String, Tensor>();
        arrays.put("x", TinyModel.random(3, -1e-3f, 1e-3f, 4, 1, 4, 4));
        NpzWriter.write(data, arrays, false);
    }

    private QuantizeRequest biasRequest(BiasOverflowPolicy policy, Path out) {
        return new QuantizeRequest(
                model,
                data,
                null,
                ConfigOptions.builder().biasOverflowPolicy(policy).build(),
                4,
                1,
                out,
                1);
    }

    @Test
    void biasOverflowFollowsThePolicy() {
        writeBiasOverflowFixtures();
        assertThatThrownBy(() -> QuantizationPipeline.quantize(
                        biasRequest(BiasOverflowPolicy.FAIL, tmp.resolve("fail")), ProgressListener.NONE))
                .isInstanceOf(LayerQuantizationException.class)
                .hasMessageContaining("'conv'")
                .hasMessageContaining("overflow");
        assertThat(tmp.resolve("fail")).doesNotExist();

        QuantizeResult skipped = QuantizationPipeline.quantize(
                biasRequest(BiasOverflowPolicy.SKIP_LAYER, tmp.resolve("skip")), ProgressListener.NONE);
        assertThat(skipped.quantizedLayers()).containsExactly("mix");
        assertThat(skipped.floatLayers())
                .anySatisfy(l -> assertThat(l).startsWith("conv").contains("overflow"));

        QuantizeResult adjusted = QuantizationPipeline.quantize(
                biasRequest(BiasOverflowPolicy.ADJUST_WEIGHT_SCALE, tmp.resolve("adjust")), ProgressListener.NONE);
        assertThat(adjusted.quantizedLayers()).containsExactly("conv", "mix");
        assertThat(adjusted.notes())
                .anySatisfy(n -> assertThat(n).contains("conv").contains("adjust_weight_scale"));
        LayerRecord r = RecordFile.read(tmp.resolve("adjust/record.txt")).get("conv");
        double q = 5e3 / ((double) r.scaleW()[0] * r.scaleD());
        assertThat(Math.abs(q)).as("bias of channel 0 now fits INT32").isLessThanOrEqualTo(Integer.MAX_VALUE);
    }
}
