package io.quantserve.engine.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quantserve.engine.QuantServeException;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.LibOnnxCorpus;
import io.quantserve.testing.LibOnnxCorpus.Readable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Normalisation and inspection over ONNX's backend test models (Debian libonnx-testdata, about 1070 small graphs
 * with If/Loop/Scan bodies, Constant nodes of every form, IR 3 models with initializers as inputs): inspection
 * never throws, and every model that normalisation accepts computes bit-identical outputs in ONNX Runtime (no
 * graph optimisation) before and after, on the shipped inputs.
 */
class ModelNormalizerCorpusTest {
    @TempDir
    static Path tmp;

    private static int models;
    private static int refused;
    private static int changed;
    private static int compared;
    private static int notComparable;

    @BeforeAll
    static void corpusInstalled() {
        assumeTrue(
                LibOnnxCorpus.present(),
                () -> "libonnx-testdata not found at " + LibOnnxCorpus.root() + ": corpus tests skipped");
    }

    @TestFactory
    Stream<DynamicTest> normalisingChangesNoOutput() {
        List<Path> files = LibOnnxCorpus.models();
        Stream<DynamicTest> perModel =
                files.stream().map(m -> DynamicTest.dynamicTest(LibOnnxCorpus.label(m), () -> check(m)));
        DynamicTest summary = DynamicTest.dynamicTest("summary", () -> {
            System.out.printf(
                    "libonnx normalisation: %d models, %d refused, %d changed by normalisation, %d compared in ORT"
                            + " (identical), %d not comparable%n",
                    models, refused, changed, compared, notComparable);
            assertThat(models).isEqualTo(files.size());
            // Guards against a harness that silently compares nothing (about 900 models are comparable).
            assertThat(compared).as("models compared in ORT").isGreaterThan(models / 2);
            assertThat(changed).as("models normalisation changed").isGreaterThan(models / 4);
        });
        return Stream.concat(perModel, Stream.of(summary));
    }

    private static void check(Path file) {
        models++;
        OnnxModel model = ModelIo.load(file);
        ModelInspection inspection = ModelInspector.inspect(model);
        if (!inspection.refusals().isEmpty()) {
            refused++;
            return;
        }
        NormalizedModel n = ModelNormalizer.normalize(model);
        assertThat(inspection.problems()).isEqualTo(n.changes());
        if (!n.changes().isEmpty()) changed++;
        if (!(LibOnnxCorpus.feeds(model.proto(), file) instanceof Readable(Map<String, Tensor> feeds))) {
            notComparable++;
            return;
        }
        Optional<Map<String, Tensor>> expected = tryRun(file, feeds);
        if (expected.isEmpty()) {
            notComparable++;
            return;
        }
        Path saved = tmp.resolve("normalised.onnx");
        ModelIo.save(n.model(), saved);
        Optional<String> difference = LibOnnxCorpus.difference(expected.get(), run(saved, feeds));
        if (difference.isPresent()) {
            if (LibOnnxCorpus.difference(expected.get(), run(file, feeds)).isPresent()) {
                notComparable++; // the original does not agree with itself
                return;
            }
            fail("normalised model computes differently (" + difference.get() + "); changes: " + n.changes());
        }
        compared++;
    }

    /** ONNX's tests of the quantization operators are refused as already quantized, by inspection as well. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "test_basic_convinteger",
                "test_convinteger_with_padding",
                "test_dequantizelinear",
                "test_dequantizelinear_axis",
                "test_dynamicquantizelinear",
                "test_matmulinteger",
                "test_qlinearconv",
                "test_qlinearmatmul_2D",
                "test_quantizelinear",
                "test_quantizelinear_axis"
            })
    void quantizationOperatorTestsAreRefused(String test) {
        Path file = LibOnnxCorpus.root().resolve("node").resolve(test).resolve("model.onnx");
        assumeTrue(file.toFile().isFile(), () -> "not in this corpus version: " + file);
        OnnxModel model = ModelIo.load(file);
        assertThat(ModelInspector.inspect(model).refusals())
                .anySatisfy(r -> assertThat(r).startsWith("already quantized: found "));
        try {
            ModelNormalizer.normalize(model);
            fail("normalize accepted " + test);
        } catch (QuantServeException e) {
            assertThat(e.getMessage()).contains("already quantized");
        }
    }

    private static Optional<Map<String, Tensor>> tryRun(Path file, Map<String, Tensor> feeds) {
        try {
            return Optional.of(run(file, feeds));
        } catch (QuantServeException e) {
            return Optional.empty();
        }
    }

    private static Map<String, Tensor> run(Path file, Map<String, Tensor> feeds) {
        try (InferenceSession s = InferenceSession.open(file, TestGraphs.EXACT)) {
            return s.run(feeds);
        }
    }
}
