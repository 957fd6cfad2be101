package io.quantserve.engine.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.quantserve.engine.LayerQuantizationException;
import io.quantserve.engine.calibration.data.NpzWriter;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.pipeline.QuantizationPipeline;
import io.quantserve.engine.pipeline.QuantizeRequest;
import io.quantserve.testing.TinyGraphs;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finite calibration data can still produce NaN inside the model; the calibration names the first layer (in calibration
 * order) whose input held it, the same one every run although tensors are counted in parallel, and publishes nothing.
 */
class NonFiniteActivationTest {
    @TempDir
    Path tmp;

    @Test
    void aNanLayerInputFailsTheRunNamingTheFirstLayerThatReadsIt() {
        // x → conv_a (fine) and Log(x) → conv_b, conv_c: Log of the negative inputs is NaN.
        Path model = tmp.resolve("log.onnx");
        ModelIo.save(
                TinyGraphs.graph()
                        .input("x", 4, 2, 6, 6)
                        .randomInit("wa", 1, 3, 2, 3, 3)
                        .randomInit("wb", 2, 3, 2, 3, 3)
                        .randomInit("wc", 3, 3, 2, 3, 3)
                        .node(
                                "Conv",
                                "conv_a",
                                List.of("x", "wa"),
                                List.of("ya"),
                                Attributes.ofInts("pads", 1, 1, 1, 1))
                        .node("Log", "log", List.of("x"), List.of("lx"))
                        .node(
                                "Conv",
                                "conv_b",
                                List.of("lx", "wb"),
                                List.of("yb"),
                                Attributes.ofInts("pads", 1, 1, 1, 1))
                        .node("Relu", "relu", List.of("lx"), List.of("rx"))
                        .node(
                                "Conv",
                                "conv_c",
                                List.of("rx", "wc"),
                                List.of("yc"),
                                Attributes.ofInts("pads", 1, 1, 1, 1))
                        .output("ya")
                        .output("yb")
                        .output("yc")
                        .build(),
                model);
        Path data = tmp.resolve("calib.npz");
        NpzWriter.write(data, new TreeMap<>(java.util.Map.of("x", TinyGraphs.randomTensor(5, 8, 2, 6, 6))), false);
        Path out = tmp.resolve("out");

        for (int run = 0; run < 3; run++) {
            LayerQuantizationException e = catchThrowableOfType(
                    LayerQuantizationException.class,
                    () -> QuantizationPipeline.quantize(
                            new QuantizeRequest(model, data, null, ConfigOptions.defaults(), 4, 2, out, 1),
                            ProgressListener.NONE));
            assertThat(e).as("run %d", run).isNotNull();
            assertThat(e.code()).isEqualTo("non-finite-activation");
            assertThat(e.layer())
                    .as("the first layer, in calibration order, whose input held NaN")
                    .isEqualTo("conv_b");
            assertThat(e.getMessage()).contains("input 'lx' holds NaN or inf in calibration batch 0");
            assertThat(out).doesNotExist();
        }
    }
}
