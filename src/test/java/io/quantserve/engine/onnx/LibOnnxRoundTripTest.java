package io.quantserve.engine.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quantserve.engine.QuantServeException;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.LibOnnxCorpus;
import io.quantserve.testing.LibOnnxCorpus.Readable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads and re-saves every model of the Debian libonnx-testdata corpus (ONNX's backend test models, about 1070)
 * with {@link ModelIo}, and requires (1) the re-saved file to be byte-identical to the original — protobuf-java
 * writes fields in number order with ONNX's packed encodings, as ONNX's own writer does, so the proto2 round trip
 * reproduces the file exactly — and (2) ONNX Runtime to give bit-identical outputs (NaN equals NaN) for the
 * original and the re-saved model on the shipped {@code test_data_set_0} inputs. Models ONNX Runtime cannot run in
 * their original form are counted as not runnable, models whose inputs or outputs the engine cannot exchange with
 * ONNX Runtime (strings, sequences, unsigned 16–64-bit) are counted apart; neither is a failure.
 */
class LibOnnxRoundTripTest {
    /** One thread per operator: the models are tiny, and thread-pool start-up would dominate. */
    private static final SessionSettings SETTINGS = new SessionSettings(1, true, true);

    @TempDir
    static Path tmp;

    private static int models;
    private static int byteIdentical;
    private static int ran;
    private static int identical;
    private static int notRunnable;
    private static int unreadable;
    private static int nondeterministic;

    @BeforeAll
    static void corpusInstalled() {
        assumeTrue(
                LibOnnxCorpus.present(),
                () -> "libonnx-testdata not found at " + LibOnnxCorpus.root()
                        + " (Debian package libonnx-testdata): round-trip suite skipped");
    }

    @TestFactory
    Stream<DynamicTest> everyModelRoundTrips() {
        List<Path> files = LibOnnxCorpus.models();
        Stream<DynamicTest> perModel =
                files.stream().map(m -> DynamicTest.dynamicTest(LibOnnxCorpus.label(m), () -> roundTrip(m)));
        DynamicTest summary = DynamicTest.dynamicTest("summary", () -> {
            System.out.printf(
                    "libonnx round trip: %d models, %d ran in ORT, %d identical, %d not runnable by ORT itself;"
                            + " %d with inputs or outputs the engine cannot exchange with ORT, %d nondeterministic,"
                            + " %d re-saved byte-identical%n",
                    models, ran, identical, notRunnable, unreadable, nondeterministic, byteIdentical);
            assertThat(models).isEqualTo(files.size());
            assertThat(byteIdentical).isEqualTo(models);
            assertThat(identical + nondeterministic).isEqualTo(ran);
            // Guards against a harness that silently runs nothing (the corpus runs about 90 % of its models).
            assertThat(ran).as("models run in ORT").isGreaterThan(models / 2);
        });
        return Stream.concat(perModel, Stream.of(summary));
    }

    private static void roundTrip(Path file) throws Exception {
        models++;
        byte[] original = Files.readAllBytes(file);
        OnnxModel model = ModelIo.load(file);
        Path saved = tmp.resolve("model.onnx");
        ModelIo.save(model, saved);
        byte[] resaved = Files.readAllBytes(saved);
        int mismatch = Arrays.mismatch(original, resaved);
        assertThat(mismatch)
                .as("first differing byte of the re-saved model (%d vs %d bytes)", original.length, resaved.length)
                .isEqualTo(-1);
        byteIdentical++;

        if (!(LibOnnxCorpus.feeds(model.proto(), file) instanceof Readable(Map<String, Tensor> feeds))) {
            unreadable++;
            return;
        }
        Optional<Map<String, Tensor>> expected = runOriginal(file, feeds);
        if (expected.isEmpty()) {
            notRunnable++;
            return;
        }
        ran++;
        Map<String, Tensor> actual = run(saved, feeds);
        Optional<String> difference = LibOnnxCorpus.difference(expected.get(), actual);
        if (difference.isPresent()) {
            if (LibOnnxCorpus.difference(expected.get(), run(file, feeds)).isPresent()) {
                nondeterministic++; // the original does not agree with itself: nothing to compare against
                return;
            }
            fail("re-saved model computes differently: " + difference.get());
        }
        identical++;
    }

    private static Optional<Map<String, Tensor>> runOriginal(Path file, Map<String, Tensor> feeds) {
        try {
            return Optional.of(run(file, feeds));
        } catch (QuantServeException e) {
            return Optional.empty();
        }
    }

    private static Map<String, Tensor> run(Path file, Map<String, Tensor> feeds) {
        try (InferenceSession s = InferenceSession.open(file, SETTINGS)) {
            return s.run(feeds);
        }
    }
}
