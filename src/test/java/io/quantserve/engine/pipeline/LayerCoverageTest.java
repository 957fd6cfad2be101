package io.quantserve.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.calibration.data.NpzWriter;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.export.RecordFile;
import io.quantserve.engine.layers.LayerFinder;
import io.quantserve.engine.layers.LayerScan;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.TinyModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layer kinds and model generations beyond the common case, each through the whole pipeline. */
class LayerCoverageTest {
    @TempDir
    Path tmp;

    private QuantizeResult quantize(OnnxModel model, String input, long... sampleShape) {
        Path m = tmp.resolve("m.onnx");
        ModelIo.save(model, m);
        Path data = tmp.resolve("d.npz");
        var arrays = new LinkedHashMap<String, Tensor>();
        arrays.put(input, TinyModel.random(11, -1f, 1f, sampleShape));
        NpzWriter.write(data, arrays, false);
        return QuantizationPipeline.quantize(
                new QuantizeRequest(m, data, null, ConfigOptions.defaults(), 2, 2, tmp.resolve("out"), 1),
                ProgressListener.NONE);
    }

    @Test
    void conv3dIsQuantizedPerOutputChannel() {
        OnnxModel model = TinyModel.create()
                .input("x", DataType.FLOAT, 0, 2, 4, 4, 4)
                .initializer("w", TinyModel.random(1, -0.5f, 0.5f, 3, 2, 2, 2, 2))
                .initializer("b", TinyModel.random(2, -0.1f, 0.1f, 3))
                .namedNode("conv3d", "Conv", List.of("x", "w", "b"), List.of("y"))
                .output("y", DataType.FLOAT, 0, 3, 3, 3, 3)
                .build();
        QuantizeResult r = quantize(model, "x", 4, 2, 4, 4, 4);
        assertThat(r.quantizedLayers()).containsExactly("conv3d");
        assertThat(r.parity().passed()).isTrue();
        assertThat(RecordFile.read(tmp.resolve("out/record.txt")).get("conv3d").scaleW())
                .hasSize(3);
    }

    @Test
    void opset9ModelIsUpgradedAndStillGetsPerChannelWeights() {
        OnnxModel model = TinyModel.create()
                .opset(9)
                .input("x", DataType.FLOAT, 0, 1, 6, 6)
                .initializer("w", TinyModel.random(3, -0.5f, 0.5f, 4, 1, 3, 3))
                .initializer("shape", Tensor.ofLongs(new long[] {2}, new long[] {0, -1}))
                .initializer("fc", TinyModel.random(4, -0.5f, 0.5f, 64, 5))
                .namedNode("conv", "Conv", List.of("x", "w"), List.of("c"))
                .namedNode("flat", "Reshape", List.of("c", "shape"), List.of("f"))
                .namedNode("dense", "MatMul", List.of("f", "fc"), List.of("y"))
                .output("y", DataType.FLOAT, 0, 5)
                .build();
        QuantizeResult r = quantize(model, "x", 4, 1, 6, 6);
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("opset 9 upgraded to 11"));
        assertThat(r.parity().passed()).isTrue();
        assertThat(RecordFile.read(tmp.resolve("out/record.txt")).get("conv").scaleW())
                .hasSize(4);
        OnnxModel fake = ModelIo.load(tmp.resolve("out/m_fake_quant_model.onnx"));
        assertThat(fake.defaultOpset()).isEqualTo(11);
    }

    @Test
    void sharedWeightsAreRefusedNamingTheOtherLayer() {
        OnnxModel model = TinyModel.create()
                .input("x", DataType.FLOAT, 0, 4)
                .initializer("w", TinyModel.random(5, -1f, 1f, 4, 4))
                .namedNode("first", "MatMul", List.of("x", "w"), List.of("h"))
                .namedNode("second", "MatMul", List.of("h", "w"), List.of("y"))
                .output("y", DataType.FLOAT, 0, 4)
                .build();
        LayerScan scan = LayerFinder.scan(model.proto());
        assertThat(scan.layers()).isEmpty();
        assertThat(scan.skipped())
                .anySatisfy(s -> assertThat(s.reason()).contains("shared").contains("second"))
                .anySatisfy(s -> assertThat(s.reason()).contains("shared").contains("first"));
    }

    @Test
    void gemmAlphaBetaAreFoldedBeforeQuantization() {
        OnnxModel model = TinyModel.create()
                .input("x", DataType.FLOAT, 0, 6)
                .initializer("w", TinyModel.random(6, -1f, 1f, 6, 3))
                .initializer("c", TinyModel.random(7, -1f, 1f, 3))
                .namedNode(
                        "gemm",
                        "Gemm",
                        List.of("x", "w", "c"),
                        List.of("y"),
                        Attributes.of("alpha", 0.5f),
                        Attributes.of("beta", 2f))
                .output("y", DataType.FLOAT, 0, 3)
                .build();
        QuantizeResult r = quantize(model, "x", 8, 6);
        assertThat(r.quantizedLayers()).containsExactly("gemm");
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).startsWith("prepared float model vs original"));
        assertThat(r.parity().passed()).isTrue();
    }
}
