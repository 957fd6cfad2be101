package io.quantserve.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.QuantServeException;
import io.quantserve.engine.fusion.BatchNormFusion;
import io.quantserve.engine.fusion.FusionOptions;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.ModelTensors;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.TensorProtos;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.TinyGraphs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The preparation check gives the same result on the replay's runs as on its own before the replay (the path of
 * models whose weights exceed {@link ReplayChecks#SHARED_ORIGINAL_LIMIT}), and both paths stop a prepared model that
 * computes something else.
 */
class ReplayChecksTest {
    @TempDir
    Path tmp;

    private Path original;
    private OnnxModel prepared;
    private List<Map<String, Tensor>> feeds;

    @BeforeEach
    void convWithBatchNorm() {
        original = tmp.resolve("conv_bn.onnx");
        ModelIo.save(
                TinyGraphs.graph()
                        .input("x", 1, 2, 6, 6)
                        .randomInit("w", 1, 3, 2, 3, 3)
                        .init("gamma", new long[] {3}, new float[] {1.5f, 0.5f, 2f})
                        .init("beta", new long[] {3}, new float[] {0.1f, -0.2f, 0.3f})
                        .init("mean", new long[] {3}, new float[] {0.05f, -0.1f, 0.2f})
                        .init("var", new long[] {3}, new float[] {0.9f, 1.7f, 0.3f})
                        .node("Conv", "conv", List.of("x", "w"), List.of("c"), Attributes.ofInts("pads", 1, 1, 1, 1))
                        .node("BatchNormalization", "bn", List.of("c", "gamma", "beta", "mean", "var"), List.of("y"))
                        .output("y")
                        .build(),
                original);
        BatchNormFusion.Result fused =
                BatchNormFusion.apply(ModelPreparation.prepare(original).model(), new FusionOptions(true, Set.of()));
        assertThat(fused.fused()).containsExactly("conv");
        prepared = fused.model();
        feeds = List.of(
                Map.of("x", TinyGraphs.randomTensor(7, 1, 2, 6, 6)),
                Map.of("x", TinyGraphs.randomTensor(8, 1, 2, 6, 6)));
    }

    @Test
    void onTheReplaysRunsOrAloneTheCheckFindsTheSameDifference() {
        double shared;
        double agreement;
        try (ReplayChecks checks = replay(prepared, Long.MAX_VALUE)) {
            shared = checks.preparationDiff();
            agreement = checks.int8Diff();
        }
        double alone;
        try (ReplayChecks checks = replay(prepared, 0)) {
            alone = checks.preparationDiff();
        }

        assertThat(shared).as("BN folding only rounds").isLessThan(1e-5);
        assertThat(alone).isEqualTo(shared);
        // The original model stands in for the INT8 model here: its agreement is the same comparison.
        assertThat(agreement).isEqualTo(shared);
        assertThat(scratchLeft()).isEmpty();
    }

    @Test
    void aPreparedModelThatComputesSomethingElseFailsEitherWay() {
        assertFailsEitherWay(withFirstWeight(prepared, 3f));
    }

    @Test
    void aPreparedModelThatComputesNanWhereTheOriginalDoesNotFails() {
        assertFailsEitherWay(withFirstWeight(prepared, Float.NaN));
    }

    /** {@code model} with {@code value} added to the first element of its convolution weight. */
    private static OnnxModel withFirstWeight(OnnxModel model, float value) {
        return model.withProto(ModelTensors.rewrite(model.proto(), t -> {
            if (!t.getName().startsWith("w")) return t;
            float[] w = TensorProtos.toTensor(t, null).toFloats();
            w[0] += value;
            return TensorProtos.fromTensor(t.getName(), Tensor.ofFloats(new long[] {3, 2, 3, 3}, w));
        }));
    }

    private void assertFailsEitherWay(OnnxModel broken) {

        try (ReplayChecks checks = replay(broken, Long.MAX_VALUE)) {
            assertThatThrownBy(checks::preparationDiff)
                    .isInstanceOf(QuantServeException.class)
                    .hasMessageContaining("the prepared float model differs from the original");
        }
        assertThatThrownBy(() -> replay(broken, 0))
                .isInstanceOf(QuantServeException.class)
                .hasMessageContaining("the prepared float model differs from the original");
        assertThat(scratchLeft()).isEmpty();
    }

    /** Opens the checks and plays the replay's part: the prepared model's outputs on every feed. */
    private ReplayChecks replay(OnnxModel preparedModel, long sharedOriginalLimit) {
        Path file = tmp.resolve("prepared.onnx");
        ModelIo.save(preparedModel, file);
        ReplayChecks checks = ReplayChecks.open(
                original, preparedModel, feeds, null, preparedModel, original, tmp, sharedOriginalLimit);
        try (InferenceSession session = InferenceSession.open(file, SessionSettings.defaults())) {
            for (Map<String, Tensor> feed : feeds) {
                Map<String, Tensor> outputs = session.run(feed, List.of("y"));
                checks.ran(feed, outputs, outputs);
            }
        }
        return checks;
    }

    private List<Path> scratchLeft() {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(p -> p.getFileName().toString().startsWith("preparation-check"))
                    .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
