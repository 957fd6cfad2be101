package io.quantserve.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.quant.LayerQuantization;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.TinyModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay shows every run to its listener with both models' graph outputs, so that the export checks can use
 * them instead of running the two models again: the float outputs are the float model's, the fake-quant outputs are
 * bit for bit those of an unoptimised fake-quant session (what the deploy parity check needs).
 */
class ReplayListenerTest {
    @TempDir
    Path tmp;

    @Test
    void everyRunIsShownWithBothModelsGraphOutputs() {
        // The float model, its quantized layers and the fake-quant model, as ReplayBatchingTest builds them.
        ReportFixtures f = new ReportFixtures(tmp);
        ReportFixtures.Quantized quantized = f.quantized(f.quantize("out"));
        OnnxModel model = quantized.floatModel();
        List<LayerQuantization> layers = quantized.layers();
        OnnxModel fake = quantized.fakeQuant();
        Path fakeFile = tmp.resolve("fake.onnx");
        ModelIo.save(fake, fakeFile);
        List<String> outputs = model.outputNames();
        // Two batches of 3 samples: the replay runs them one sample at a time.
        List<Map<String, Tensor>> feeds = List.of(
                Map.of("x", TinyModel.random(1, -1f, 1f, 3, 2, 6, 6)),
                Map.of("x", TinyModel.random(2, -1f, 1f, 3, 2, 6, 6)));
        List<String> seen = new ArrayList<>();

        try (InferenceSession floatSession = InferenceSession.open(f.model, SessionSettings.defaults());
                InferenceSession fakeSession = InferenceSession.open(fakeFile, SessionSettings.unoptimized())) {
            QualityReports.build(
                    new ReportInput("tiny", "quantize", "minmax", model, fake, layers, List.of(), feeds, List.of()),
                    tmp,
                    (feed, floatOutputs, fakeOutputs) -> {
                        assertThat(feed.get("x").shape()).containsExactly(1, 2, 6, 6);
                        Map<String, Tensor> a = floatSession.run(feed, outputs);
                        Map<String, Tensor> b = fakeSession.run(feed, outputs);
                        for (String o : outputs) {
                            float[] expectedFloat = a.get(o).toFloats();
                            float[] actualFloat = floatOutputs.get(o).toFloats();
                            assertThat(actualFloat).hasSameSizeAs(expectedFloat);
                            for (int i = 0; i < expectedFloat.length; i++) {
                                assertThat(actualFloat[i]).as(o).isCloseTo(expectedFloat[i], within(1e-5f));
                            }
                            assertThat(fakeOutputs.get(o).toFloats())
                                    .as("fake-quant output %s, bit for bit", o)
                                    .isEqualTo(b.get(o).toFloats());
                        }
                        assertThat(fakeOutputs.get(outputs.getFirst()).toFloats())
                                .as("quantization changed the numbers")
                                .isNotEqualTo(
                                        floatOutputs.get(outputs.getFirst()).toFloats());
                        seen.add("run");
                    });
        }
        assertThat(seen).hasSize(6);
    }

    private static org.assertj.core.data.Offset<Float> within(float tolerance) {
        return org.assertj.core.data.Offset.offset(tolerance);
    }
}
