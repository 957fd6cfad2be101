package io.quantserve.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.calibration.data.NpzWriter;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.config.MatMulChannelWise;
import io.quantserve.engine.export.RecordFile;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.GraphEditor;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.TinyModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-column Gemm/MatMul weights ({@code matmul_channel_wise}) through the whole pipeline, on a Gemm ({@code
 * transB}) and a MatMul whose weight columns differ in magnitude by up to 100×: the record holds one
 * {@code scale_w} per column, the fake-quant and INT8 models dequantize per column and agree, the deploy model is
 * per tensor ({@code portable}) or per column ({@code all}) and passes its parity check either way, and the
 * quantized output is closer to fp32 than with AMCT's per-tensor weights.
 */
class MatMulChannelWiseTest {
    @TempDir
    Path tmp;

    private Path model;
    private Path data;
    private Tensor x;

    /** A weight whose output column {@code n} is scaled by {@code 10^(-2·n/(N−1))}: from 1 down to 0.01. */
    private static Tensor columnScaled(long seed, boolean transposed, int k, int n) {
        long[] shape = transposed ? new long[] {n, k} : new long[] {k, n};
        float[] v = TinyModel.random(seed, -1f, 1f, shape).toFloats();
        for (int i = 0; i < v.length; i++) {
            int column = transposed ? i / k : i % n;
            v[i] *= (float) Math.pow(10, -2.0 * column / (n - 1));
        }
        return Tensor.ofFloats(shape, v);
    }

    private void fixtures() {
        OnnxModel m = TinyModel.create()
                .input("x", DataType.FLOAT, 0, 6)
                .initializer("w1", columnScaled(1, true, 6, 5))
                .initializer("c1", TinyModel.random(2, -0.01f, 0.01f, 5))
                .initializer("w2", columnScaled(3, false, 5, 4))
                .namedNode("fc", "Gemm", List.of("x", "w1", "c1"), List.of("h"), Attributes.of("transB", 1L))
                .namedNode("proj", "MatMul", List.of("h", "w2"), List.of("y"))
                .output("y", DataType.FLOAT, 0, 4)
                .build();
        model = tmp.resolve("mc.onnx");
        ModelIo.save(m, model);
        x = TinyModel.random(4, -1f, 1f, 32, 6);
        data = tmp.resolve("mc.npz");
        var arrays = new LinkedHashMap<String, Tensor>();
        arrays.put("x", x);
        NpzWriter.write(data, arrays, false);
    }

    private QuantizeResult quantize(MatMulChannelWise mode, Path out) {
        return QuantizationPipeline.quantize(
                new QuantizeRequest(
                        model,
                        data,
                        null,
                        ConfigOptions.builder().matMulChannelWise(mode).build(),
                        8,
                        4,
                        out,
                        2),
                ProgressListener.NONE);
    }

    private Tensor run(Path file) {
        try (InferenceSession s = InferenceSession.open(file, SessionSettings.unoptimized())) {
            return s.run(Map.of("x", x), List.of("y")).get("y");
        }
    }

    private static Tensor initializer(Path file, String name) {
        OnnxModel m = ModelIo.load(file);
        return m.tensor(new GraphEditor(m.proto().getGraph()).initializer(name).orElseThrow());
    }

    /** Worst output column's relative RMS error against fp32. */
    private double worstColumnError(Path fake) {
        float[] ref = run(model).toFloats();
        float[] q = run(fake).toFloats();
        double[] err = new double[4];
        double[] norm = new double[4];
        for (int i = 0; i < ref.length; i++) {
            err[i % 4] += (ref[i] - q[i]) * (double) (ref[i] - q[i]);
            norm[i % 4] += ref[i] * (double) ref[i];
        }
        double worst = 0;
        for (int c = 0; c < 4; c++) worst = Math.max(worst, Math.sqrt(err[c] / norm[c]));
        return worst;
    }

    @Test
    void portableModeQuantizesFakeQuantAndInt8PerColumnAndTheDeployModelPerTensor() {
        fixtures();
        Path out = tmp.resolve("portable");
        QuantizeResult r = quantize(MatMulChannelWise.PORTABLE, out);

        var record = RecordFile.read(out.resolve("record.txt"));
        assertThat(record.get("fc").scaleW()).hasSize(5);
        assertThat(record.get("proj").scaleW()).hasSize(4);
        assertThat(record.get("fc").offsetW()).containsOnly(0);

        Path fake = out.resolve("mc_fake_quant_model.onnx");
        Path int8 = out.resolve("mc_int8_model.onnx");
        Path deploy = out.resolve("mc_deploy_model.onnx");
        assertThat(initializer(fake, "fc_deq_scale").shape()).containsExactly(5);
        assertThat(initializer(fake, "proj_deq_scale").shape()).containsExactly(4);
        assertThat(initializer(int8, "fc_deq_scale").shape()).containsExactly(5);
        assertThat(initializer(int8, "proj_deq_scale").shape()).containsExactly(4);
        assertThat(initializer(deploy, "fc.dequant.param").shape())
                .as("AMCT's per-tensor rule in the deploy model")
                .containsExactly(1);
        assertThat(initializer(deploy, "proj.dequant.param").shape()).containsExactly(1);
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).startsWith("deploy model: Gemm/MatMul weights per tensor"));
        assertThat(r.parity().passed()).isTrue();

        float[] f = run(fake).toFloats();
        float[] q = run(int8).toFloats();
        double maxRef = 0;
        double maxDiff = 0;
        for (int i = 0; i < f.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(f[i]));
            maxDiff = Math.max(maxDiff, Math.abs(f[i] - q[i]));
        }
        assertThat(maxDiff).as("INT8 model vs fake-quant model").isLessThanOrEqualTo(1e-5 * maxRef);

        // save from the record reproduces every model
        Path saved = tmp.resolve("saved");
        QuantizationPipeline.save(
                new SaveRequest(model, out.resolve("quant_config.json"), out.resolve("record.txt"), data, 8, saved),
                ProgressListener.NONE);
        for (String file : List.of("mc_fake_quant_model.onnx", "mc_deploy_model.onnx", "mc_int8_model.onnx")) {
            assertThat(saved.resolve(file)).hasSameBinaryContentAs(out.resolve(file));
        }
    }

    @Test
    void allModeGivesTheDeployModelOneDeqScalePerColumn() {
        fixtures();
        Path out = tmp.resolve("all");
        QuantizeResult r = quantize(MatMulChannelWise.ALL, out);
        Path deploy = out.resolve("mc_deploy_model.onnx");
        assertThat(initializer(deploy, "fc.dequant.param").shape()).containsExactly(5);
        assertThat(initializer(deploy, "proj.dequant.param").shape()).containsExactly(4);
        assertThat(r.notes()).noneMatch(n -> n.startsWith("deploy model: Gemm/MatMul weights per tensor"));
        assertThat(r.parity().passed()).isTrue();
        assertThat(r.parity().maxAbsDiff()).isLessThanOrEqualTo(ArtefactWriter.PARITY_TOLERANCE);
    }

    @Test
    void perColumnWeightsAreCloserToFp32ThanPerTensor() {
        fixtures();
        Path perTensor = tmp.resolve("off");
        QuantizeResult off = quantize(MatMulChannelWise.OFF, perTensor);
        assertThat(RecordFile.read(perTensor.resolve("record.txt")).get("fc").scaleW())
                .hasSize(1);
        assertThat(off.parity().passed()).isTrue();
        Path perColumn = tmp.resolve("on");
        quantize(MatMulChannelWise.PORTABLE, perColumn);
        double a = worstColumnError(perTensor.resolve("mc_fake_quant_model.onnx"));
        double b = worstColumnError(perColumn.resolve("mc_fake_quant_model.onnx"));
        System.out.printf("matmul_channel_wise: worst column relative error %.4f per tensor, %.4f per column%n", a, b);
        assertThat(b).isLessThan(a / 3);
    }
}
