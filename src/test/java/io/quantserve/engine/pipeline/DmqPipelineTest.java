package io.quantserve.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.calibration.data.NpzWriter;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.config.QuantConfigs;
import io.quantserve.engine.export.LayerRecord;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DMQ balancing through the whole pipeline, on layers whose input has one outlier channel (range ±60 against ±1,
 * met by small weights, the case SmoothQuant describes): the balanced float model still passes the preparation
 * check, the record carries the balance factors, a re-export from the record reproduces the models, and the
 * quantized output is much closer to fp32 than without balancing.
 */
class DmqPipelineTest {
    private static final int SAMPLES = 8;
    private static final float OUTLIER = 60f;

    @TempDir
    Path tmp;

    /** Uniform data in ±1 with channel {@code outlier} of axis {@code axis} stretched to ±{@link #OUTLIER}. */
    private static Tensor data(long seed, int axis, int outlier, long... shape) {
        float[] v = TinyModel.random(seed, -1f, 1f, shape).toFloats();
        long inner = 1;
        for (int i = axis + 1; i < shape.length; i++) inner *= shape[i];
        for (int i = 0; i < v.length; i++) {
            if ((i / inner) % shape[axis] == outlier) v[i] *= OUTLIER;
        }
        return Tensor.ofFloats(shape, v);
    }

    /** A random weight whose elements meeting input channel {@code outlier} are 100 times smaller. */
    private static Tensor weight(long seed, int inputAxis, int outlier, long... shape) {
        float[] v = TinyModel.random(seed, -0.5f, 0.5f, shape).toFloats();
        long inner = 1;
        for (int i = inputAxis + 1; i < shape.length; i++) inner *= shape[i];
        for (int i = 0; i < v.length; i++) {
            if ((i / inner) % shape[inputAxis] == outlier) v[i] *= 0.01f;
        }
        return Tensor.ofFloats(shape, v);
    }

    private record Run(Path dir, QuantizeResult result, double relativeError) {}

    /**
     * The worst output channel's relative RMS error ({@code ‖q − ref‖ / ‖ref‖} over that channel), so a channel that
     * lost its precision counts even when the outlier channel's large values dominate the output's norm.
     */
    private static double worstChannelError(float[] ref, float[] q, long[] shape, int axis) {
        long inner = 1;
        for (int i = axis + 1; i < shape.length; i++) inner *= shape[i];
        int channels = (int) shape[axis];
        double[] err = new double[channels];
        double[] norm = new double[channels];
        for (int i = 0; i < ref.length; i++) {
            int c = (int) ((i / inner) % channels);
            err[c] += (ref[i] - q[i]) * (double) (ref[i] - q[i]);
            norm[c] += ref[i] * (double) ref[i];
        }
        double worst = 0;
        for (int c = 0; c < channels; c++) worst = Math.max(worst, Math.sqrt(err[c] / norm[c]));
        return worst;
    }

    private Run quantize(String name, OnnxModel model, Tensor x, ConfigOptions options) {
        Path m = tmp.resolve(name + ".onnx");
        if (!Files.exists(m)) ModelIo.save(model, m);
        Path d = tmp.resolve(name + ".npz");
        var arrays = new LinkedHashMap<String, Tensor>();
        arrays.put("x", x);
        NpzWriter.write(d, arrays, false);
        Path out = tmp.resolve(name + "-" + (options.dmqBalancerParam() == null ? "plain" : "dmq"));
        QuantizeResult r = QuantizationPipeline.quantize(
                new QuantizeRequest(m, d, null, options, SAMPLES / 2, 2, out, 1), ProgressListener.NONE);
        Tensor ref = run(m, x);
        Tensor q = run(out.resolve(name + "_fake_quant_model.onnx"), x);
        int channelAxis = model.proto().getGraph().getNode(0).getOpType().equals("Conv") ? 1 : ref.rank() - 1;
        return new Run(out, r, worstChannelError(ref.toFloats(), q.toFloats(), ref.shape(), channelAxis));
    }

    private static Tensor run(Path model, Tensor x) {
        try (InferenceSession s = InferenceSession.open(model, SessionSettings.unoptimized())) {
            return s.run(Map.of("x", x), List.of("y")).get("y");
        }
    }

    /** Quantizes with and without DMQ (α 0.5); checks the balanced run's artefacts; returns both errors. */
    private double[] compare(String name, OnnxModel model, Tensor x, String layer, int inputChannels) {
        Run plain = quantize(name, model, x, ConfigOptions.defaults());
        Run dmq = quantize(
                name, model, x, ConfigOptions.builder().dmqBalancerParam(0.5).build());

        assertThat(plain.result().notes()).noneMatch(n -> n.startsWith("DMQ"));
        assertThat(dmq.result().notes())
                .contains(dmq.result().notes().stream()
                        .filter(n -> n.startsWith("DMQ balancing: 1 layer(s) balanced"))
                        .findFirst()
                        .orElseThrow());
        assertThat(dmq.result().notes())
                .anySatisfy(n -> assertThat(n).startsWith("prepared float model vs original: max abs diff"));
        assertThat(dmq.result().parity().passed()).isTrue();

        LayerRecord record = RecordFile.read(dmq.dir().resolve("record.txt")).get(layer);
        assertThat(record.tensorBalanceFactor()).hasSize(inputChannels);
        for (float f : record.tensorBalanceFactor()) {
            assertThat(Math.scalb(1f, Math.getExponent(f))).as("a power of two").isEqualTo(f);
        }
        assertThat(RecordFile.read(plain.dir().resolve("record.txt")).get(layer).balanced())
                .isFalse();
        assertThat(QuantConfigs.read(dmq.dir().resolve("quant_config.json"))
                        .layer(layer)
                        .orElseThrow()
                        .dmqBalancerParam())
                .isEqualTo(0.5);

        OnnxModel fake = ModelIo.load(dmq.dir().resolve(name + "_fake_quant_model.onnx"));
        GraphEditor ed = new GraphEditor(fake.proto().getGraph());
        assertThat(ed.node(layer + "_dmq_balance").orElseThrow().getOpType()).isEqualTo("Mul");

        // AMCT's save_model: the same config and record give the same models, without a forward pass
        Path saved = tmp.resolve(name + "-saved");
        QuantizationPipeline.save(
                new SaveRequest(
                        tmp.resolve(name + ".onnx"),
                        dmq.dir().resolve("quant_config.json"),
                        dmq.dir().resolve("record.txt"),
                        tmp.resolve(name + ".npz"),
                        SAMPLES / 2,
                        saved),
                ProgressListener.NONE);
        for (String file : List.of("_fake_quant_model.onnx", "_deploy_model.onnx", "_int8_model.onnx")) {
            assertThat(saved.resolve(name + file))
                    .hasSameBinaryContentAs(dmq.dir().resolve(name + file));
        }
        System.out.printf(
                "DMQ %s: worst output channel relative error vs fp32 %.4f without, %.4f with balancing%n",
                name, plain.relativeError(), dmq.relativeError());
        return new double[] {plain.relativeError(), dmq.relativeError()};
    }

    @Test
    void convWithAnOutlierInputChannel() {
        OnnxModel model = TinyModel.create()
                .input("x", DataType.FLOAT, 0, 4, 6, 6)
                .initializer("w", weight(1, 1, 0, 3, 4, 3, 3))
                .initializer("b", TinyModel.random(2, -0.1f, 0.1f, 3))
                .namedNode("conv", "Conv", List.of("x", "w", "b"), List.of("y"), Attributes.ofInts("pads", 1, 1, 1, 1))
                .output("y", DataType.FLOAT, 0, 3, 6, 6)
                .build();
        double[] e = compare("conv", model, data(3, 1, 0, SAMPLES, 4, 6, 6), "conv", 4);
        assertThat(e[1]).isLessThan(e[0] / 3);
    }

    @Test
    void depthwiseConvWithAnOutlierChannel() {
        OnnxModel model = TinyModel.create()
                .input("x", DataType.FLOAT, 0, 4, 6, 6)
                .initializer("w", TinyModel.random(4, -0.5f, 0.5f, 4, 1, 3, 3))
                .namedNode("dw", "Conv", List.of("x", "w"), List.of("y"), Attributes.of("group", 4L))
                .output("y", DataType.FLOAT, 0, 4, 4, 4)
                .build();
        double[] e = compare("dw", model, data(5, 1, 2, SAMPLES, 4, 6, 6), "dw", 4);
        assertThat(e[1]).isLessThan(e[0] / 3);
    }

    @Test
    void matMulWithAnOutlierInputChannel() {
        OnnxModel model = TinyModel.create()
                .input("x", DataType.FLOAT, 0, 5, 8)
                .initializer("w", weight(6, 0, 3, 8, 4))
                .namedNode("mm", "MatMul", List.of("x", "w"), List.of("y"))
                .output("y", DataType.FLOAT, 0, 5, 4)
                .build();
        double[] e = compare("mm", model, data(7, 2, 3, SAMPLES, 5, 8), "mm", 8);
        assertThat(e[1]).isLessThan(e[0] / 3);
    }

    @Test
    void aRecordWithoutFactorsForALayerConfiguredForDmqIsRefused() throws Exception {
        OnnxModel model = TinyModel.create()
                .input("x", DataType.FLOAT, 0, 5, 8)
                .initializer("w", weight(8, 0, 3, 8, 4))
                .namedNode("mm", "MatMul", List.of("x", "w"), List.of("y"))
                .output("y", DataType.FLOAT, 0, 5, 4)
                .build();
        Run dmq = quantize(
                "mm2",
                model,
                data(9, 2, 3, SAMPLES, 5, 8),
                ConfigOptions.builder().dmqBalancerParam(0.5).build());
        Path record = tmp.resolve("stripped.txt");
        Files.writeString(
                record,
                Files.readString(dmq.dir().resolve("record.txt")).replaceAll("\\s*tensor_balance_factor: [^\\s]+", ""));
        assertThat(RecordFile.read(record).get("mm").balanced()).isFalse();
        assertThatThrownBy(() -> QuantizationPipeline.save(
                        new SaveRequest(
                                tmp.resolve("mm2.onnx"),
                                dmq.dir().resolve("quant_config.json"),
                                record,
                                null,
                                4,
                                tmp.resolve("never")),
                        ProgressListener.NONE))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("no tensor_balance_factor for layer 'mm'");
    }
}
