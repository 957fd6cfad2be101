package io.quantserve.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.config.ActivationAlgorithm;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.config.DmqLayers;
import io.quantserve.engine.config.MatMulChannelWise;
import io.quantserve.engine.pipeline.ModelPreparation;
import io.quantserve.engine.pipeline.QuantizationPipeline;
import io.quantserve.engine.pipeline.QuantizeRequest;
import io.quantserve.engine.pipeline.QuantizeResult;
import io.quantserve.testing.RealModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The calibration issue's accuracy targets that fit in CI time, each with the configuration that reaches it, on the
 * benchmark's data and metric (the same {@link BenchCases} entries {@code mvn -B verify -Pbench} runs): the
 * fake-quant model must meet the target. MNIST and PP-OCRv3 rec have their own tests ({@code
 * RealModelQuantizationTest}, {@code DmqRealModelTest}).
 */
class ModelTargetsTest {
    @TempDir
    Path tmp;

    private MetricResult quantizeAndEvaluate(String caseName, ConfigOptions options) {
        BenchCase c = BenchCases.table().stream()
                .filter(b -> b.name().equals(caseName))
                .findFirst()
                .orElseThrow();
        Path model = c.model().get();
        Path out = tmp.resolve(caseName);
        QuantizeResult r = QuantizationPipeline.quantize(
                new QuantizeRequest(model, c.calibration().get(), null, options, c.batchSize(), c.batchNum(), out, 1),
                ProgressListener.NONE);
        assertThat(r.parity()).isNotNull();
        assertThat(r.parity().passed()).isTrue();
        MetricResult m = c.metric()
                .evaluate(
                        model,
                        out.resolve(artefact(r, "_fake_quant_model.onnx")),
                        out.resolve(artefact(r, "_int8_model.onnx")));
        System.out.println(caseName + ": fp32 " + m.fp32().text() + ", fake-quant "
                + m.fakeQuant().text() + ", INT8 " + m.int8().text() + " (target " + m.target() + ")");
        return m;
    }

    private static String artefact(QuantizeResult r, String suffix) {
        return r.artefacts().stream()
                .filter(a -> a.endsWith(suffix))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void fashionMnistWithTheDefaultConfiguration() {
        MetricResult m = quantizeAndEvaluate("fashion_mnist", ConfigOptions.defaults());
        assertThat(m.targetMet()).as("%s: %s", m.target(), m.fakeQuant().text()).isTrue();
    }

    @Test
    void ocrDirectionClassifierWithAutoRanges() {
        MetricResult m = quantizeAndEvaluate(
                "ppocr_cls",
                ConfigOptions.builder()
                        .defaultAlgorithm(new ActivationAlgorithm.Auto())
                        .build());
        assertThat(m.targetMet()).as("%s: %s", m.target(), m.fakeQuant().text()).isTrue();
    }

    @Test
    void miniLmWithPerColumnWeightsAndDmqOnNormalizationFedLayers() {
        // Structure first: the rule picks SmoothQuant's layers, query/key/value and the first feed-forward MatMul of
        // each of the six blocks, and nothing after attention or GELU.
        List<String> expected = new ArrayList<>();
        for (int block = 0; block < 6; block++) {
            for (String layer : List.of(
                    "attention/self/query", "attention/self/key", "attention/self/value", "intermediate/dense")) {
                expected.add("/encoder/layer." + block + "/" + layer + "/MatMul");
            }
        }
        assertThat(ModelPreparation.prepare(RealModels.miniLm()).scan().normalizationFed())
                .containsExactlyInAnyOrderElementsOf(expected);

        MetricResult m = quantizeAndEvaluate(
                "minilm",
                ConfigOptions.builder()
                        .matMulChannelWise(MatMulChannelWise.PORTABLE)
                        .dmqBalancerParam(0.5)
                        .dmqLayers(DmqLayers.NORMALIZATION_FED)
                        .build());
        assertThat(m.targetMet()).as("%s: %s", m.target(), m.fakeQuant().text()).isTrue();
    }
}
