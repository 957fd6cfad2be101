package io.quantserve.engine.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.LibOnnxCorpus;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Normalising a real model changes no computed value: ONNX Runtime (no graph optimisation, one thread, so both
 * graphs run the same kernels) gives bit-identical outputs for the original file and the normalised, re-saved
 * model on a seeded random input.
 */
class RealModelNormalizationTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(RealModel.class)
    void normalisedModelComputesExactlyWhatTheOriginalComputes(RealModel which) {
        Path original = which.file();
        NormalizedModel n = ModelNormalizer.normalize(ModelIo.load(original));
        Path saved = tmp.resolve("normalised.onnx");
        ModelIo.save(n.model(), saved);
        Map<String, Tensor> feeds = feeds(which);

        Map<String, Tensor> expected = run(original, feeds);
        Map<String, Tensor> actual = run(saved, feeds);

        assertThat(expected).isNotEmpty();
        assertThat(LibOnnxCorpus.difference(expected, actual)).isEmpty();
        // Normalising the result again changes nothing.
        assertThat(ModelNormalizer.normalize(OnnxModel.inMemory(n.model().proto()))
                        .changes())
                .isEmpty();
    }

    private static Map<String, Tensor> run(Path model, Map<String, Tensor> feeds) {
        try (InferenceSession s = InferenceSession.open(model, TestGraphs.EXACT)) {
            return s.run(feeds);
        }
    }

    private static Map<String, Tensor> feeds(RealModel which) {
        return switch (which) {
            case MNIST_CNN, MNIST_EXTERNAL_DATA, FASHION_MNIST -> Map.of("input", random(1, 1, 28, 28));
            case ULTRAFACE -> Map.of("input", random(1, 3, 240, 320));
            case YOLOX_NANO -> Map.of("images", random(1, 3, 416, 416));
            case PP_OCR_V3_REC -> Map.of("x", random(1, 3, 48, 160));
            case PP_OCR_V3_DET -> Map.of("x", random(1, 3, 64, 96));
            case PP_OCR_CLS -> Map.of("x", random(1, 3, 48, 192));
            case MINILM -> {
                long[] shape = {1, 8};
                yield Map.of(
                        "input_ids", Tensor.ofLongs(shape, new long[] {101, 7592, 2088, 2003, 1037, 3231, 1012, 102}),
                        "attention_mask", Tensor.ofLongs(shape, new long[] {1, 1, 1, 1, 1, 1, 1, 1}),
                        "token_type_ids", Tensor.ofLongs(shape, new long[8]));
            }
        };
    }

    /** Uniform in [-1, 1), seeded: the same input every run. */
    private static Tensor random(long... shape) {
        float[] v = new float[Math.toIntExact(Tensor.elementCount(shape))];
        Random r = new Random(42);
        for (int i = 0; i < v.length; i++) v[i] = r.nextFloat() * 2 - 1;
        return Tensor.ofFloats(shape, v);
    }
}
