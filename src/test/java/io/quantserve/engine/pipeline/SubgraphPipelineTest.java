package io.quantserve.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.calibration.data.NpzWriter;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.export.LayerRecord;
import io.quantserve.engine.export.RecordFile;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.ControlFlowModels;
import io.quantserve.testing.TinyModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models whose layers sit in If/Loop bodies go through the whole pipeline, deploy parity included. */
class SubgraphPipelineTest {
    private static final int BATCH = 4;
    private static final int BATCHES = 4;

    @TempDir
    Path tmp;

    private Path save(OnnxModel model, String name) {
        Path file = tmp.resolve(name + ".onnx");
        ModelIo.save(model, file);
        return file;
    }

    /** {@code x[16,2,5,5]}; batches alternate between a positive and a negative mean, or all have a negative one. */
    private Path ifData(boolean alternate) {
        float[] x = TinyModel.random(77, -1f, 1f, BATCH * BATCHES, 2, 5, 5).toFloats();
        int perBatch = x.length / BATCHES;
        for (int i = 0; i < x.length; i++) {
            boolean positive = alternate && (i / perBatch) % 2 == 0;
            x[i] += positive ? 0.4f : -0.4f;
        }
        return npz("if", Tensor.ofFloats(new long[] {BATCH * BATCHES, 2, 5, 5}, x));
    }

    private Path vectorData() {
        return npz("vec", TinyModel.random(78, -1f, 1f, BATCH * BATCHES, 4));
    }

    private Path npz(String name, Tensor x) {
        Path file = tmp.resolve(name + ".npz");
        var arrays = new LinkedHashMap<String, Tensor>();
        arrays.put("x", x);
        NpzWriter.write(file, arrays, false);
        return file;
    }

    private QuantizeResult quantize(Path model, Path data, String out) {
        return QuantizationPipeline.quantize(
                new QuantizeRequest(model, data, null, ConfigOptions.defaults(), BATCH, BATCHES, tmp.resolve(out), 2),
                ProgressListener.NONE);
    }

    private static void assertVerified(QuantizeResult r, List<String> layers) {
        assertThat(r.quantizedLayers()).containsExactlyElementsOf(layers);
        assertThat(r.floatLayers()).isEmpty();
        assertThat(r.parity()).isNotNull();
        assertThat(r.parity().passed()).isTrue();
        assertThat(r.parity().maxAbsDiff()).isLessThanOrEqualTo(1e-4);
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).startsWith("int8 model: max |int8 - fake_quant| = "));
    }

    @Test
    void ifModelQuantizesBothBranchesAndPassesParity() {
        QuantizeResult r = quantize(save(ControlFlowModels.ifWithConvs(), "branches"), ifData(true), "out");
        assertVerified(r, List.of("conv_then", "conv_else", "conv_main"));
        assertThat(r.notes()).noneMatch(n -> n.contains("saw no calibration data"));
        Map<String, LayerRecord> record = RecordFile.read(r.outDir().resolve("record.txt"));
        assertThat(record).containsOnlyKeys("conv_then", "conv_else", "conv_main");
        assertThat(record.get("conv_then").scaleD()).isNotEqualTo(1f);
    }

    @Test
    void loopModelQuantizesTheBodyAndPassesParity() {
        QuantizeResult r = quantize(save(ControlFlowModels.loopWithMatMul(), "loop"), vectorData(), "out");
        assertVerified(r, List.of("mm_body"));
    }

    @Test
    void nestedModelQuantizesDeterministicallyAndReExportsFromTheRecord() throws Exception {
        Path model = save(ControlFlowModels.loopWithIf(), "nested");
        Path data = vectorData();
        QuantizeResult a = quantize(model, data, "a");
        assertVerified(a, List.of("mm_then", "mm_else", "mm_main"));
        quantize(model, data, "b");
        Path again = tmp.resolve("again");
        QuantizationPipeline.save(
                new SaveRequest(
                        model,
                        a.outDir().resolve("quant_config.json"),
                        a.outDir().resolve("record.txt"),
                        data,
                        BATCH,
                        again),
                ProgressListener.NONE);
        for (String f : List.of("nested_fake_quant_model.onnx", "nested_deploy_model.onnx", "nested_int8_model.onnx")) {
            byte[] first = Files.readAllBytes(a.outDir().resolve(f));
            assertThat(Files.readAllBytes(tmp.resolve("b").resolve(f))).as(f).isEqualTo(first);
            assertThat(Files.readAllBytes(again.resolve(f)))
                    .as(f + " from the record")
                    .isEqualTo(first);
        }
    }

    @Test
    void aBranchNeverTakenKeepsTheDegenerateFactorsWithANote() {
        QuantizeResult r = quantize(save(ControlFlowModels.ifWithConvs(), "branches"), ifData(false), "out");
        assertVerified(r, List.of("conv_then", "conv_else", "conv_main"));
        assertThat(r.notes())
                .filteredOn(n -> n.contains("saw no calibration data"))
                .singleElement()
                .satisfies(n -> assertThat(n).contains("'conv_then'").contains("'r'"));
        LayerRecord convThen = RecordFile.read(r.outDir().resolve("record.txt")).get("conv_then");
        assertThat(convThen.scaleD()).isEqualTo(1f);
        assertThat(convThen.offsetD()).isZero();
    }
}
