package io.quantserve.engine.accuracy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.calibration.data.NpzWriter;
import io.quantserve.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in metrics' scorers and the targets, on tensors built in code. */
class AccuracyMetricsTest {
    @TempDir
    Path tmp;

    private Path evaluationSet(String labelsKey, Tensor labels) {
        Path file = tmp.resolve("eval.npz");
        var arrays = new LinkedHashMap<String, Tensor>();
        arrays.put("x", Tensor.ofFloats(new long[] {4, 1}, new float[4]));
        arrays.put(labelsKey, labels);
        NpzWriter.write(file, arrays, false);
        return file;
    }

    private static Tensor logits(long rows, long classes, float... v) {
        return Tensor.ofFloats(new long[] {rows, classes}, v);
    }

    @Test
    void top1CountsArgmaxHitsAgainstTheLabelsAcrossBatches() {
        Path eval = evaluationSet("labels", Tensor.ofLongs(new long[] {4}, new long[] {1, 0, 2, 2}));
        AccuracyMetric m = BuiltInMetric.TOP1.create(eval, null, null);
        assertThat(m.comparesWithFloat()).isFalse();
        assertThat(m.outputs(List.of("logits", "aux"))).containsExactly("logits");
        AccuracyMetric.Scorer s = m.scorer();
        s.add(0, Map.of("logits", logits(2, 3, 0, 5, 1, 9, 0, 0)), Map.of()); // 1 ✓, 0 ✓
        s.add(2, Map.of("logits", logits(2, 3, 0, 1, 0, 3, 2, 1)), Map.of()); // 1 ✗, 0 ✗
        assertThat(s.value()).isEqualTo(50.0);
    }

    @Test
    void top1ReadsPerTimestepLabelsAndANamedArray() {
        Path eval = evaluationSet("truth", Tensor.ofInts(new long[] {4, 2}, new int[] {1, 0, 1, 1, 0, 0, 1, 0}));
        AccuracyMetric m = BuiltInMetric.TOP1.create(eval, "seq", "truth");
        assertThat(m.outputs(List.of("other", "seq"))).containsExactly("seq");
        AccuracyMetric.Scorer s = m.scorer();
        // Sample 2 and 3: [N=2, T=2, C=2]: rows argmax 0,0 | 1,1 against labels 0,0 | 1,0.
        s.add(2, Map.of("seq", Tensor.ofFloats(new long[] {2, 2, 2}, new float[] {1, 0, 1, 0, 0, 1, 0, 1})), Map.of());
        assertThat(s.value()).isEqualTo(75.0);
    }

    @Test
    void top1RefusesMissingOrFloatLabelsAndMismatchedRows() {
        Path eval = evaluationSet("labels", Tensor.ofLongs(new long[] {4}, new long[] {0, 0, 0, 0}));
        assertThatThrownBy(() -> BuiltInMetric.TOP1.create(eval, null, "classes"))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("has no labels array 'classes'")
                .hasMessageContaining("[x, labels]");
        assertThatThrownBy(() -> BuiltInMetric.TOP1.create(eval, null, "x"))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("is float32; class labels must be integers");
        AccuracyMetric.Scorer s = BuiltInMetric.TOP1.create(eval, null, null).scorer();
        assertThatThrownBy(() -> s.add(0, Map.of("y", Tensor.ofFloats(new long[] {1, 2, 3}, new float[6])), Map.of()))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("holds 1 label(s) per sample but output 'y' [1, 2, 3] has 2 arg-max row(s)");
        assertThatThrownBy(() -> BuiltInMetric.TOP1.create(eval, "nope", null).outputs(List.of("y")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("output 'nope' is not an output of the model; it has [y]");
    }

    @Test
    void comparisonMetricsScoreAgainstTheFloatOutputs() {
        Path eval = evaluationSet("labels", Tensor.ofLongs(new long[] {4}, new long[4]));
        Tensor ref = logits(2, 2, 3, 4, 1, 0);
        Tensor out = logits(2, 2, 3, 4, 0, 1);
        Map<String, Double> expected =
                Map.of("top1-agreement", 50.0, "cosine", (1.0 + 0.0) / 2, "sqnr", 10 * Math.log10(26.0 / 2.0));
        for (BuiltInMetric kind : List.of(BuiltInMetric.TOP1_AGREEMENT, BuiltInMetric.COSINE, BuiltInMetric.SQNR)) {
            AccuracyMetric m = kind.create(eval, null, null);
            assertThat(m.comparesWithFloat()).isTrue();
            AccuracyMetric.Scorer s = m.scorer();
            s.add(0, Map.of("y", out), Map.of("y", ref));
            assertThat(s.value()).as(kind.cliName()).isCloseTo(expected.get(kind.cliName()), within(1e-9));
            AccuracyMetric.Scorer self = m.scorer();
            self.add(0, Map.of("y", ref), Map.of("y", ref));
            assertThat(self.value())
                    .isEqualTo(
                            kind == BuiltInMetric.SQNR
                                    ? Double.POSITIVE_INFINITY
                                    : kind == BuiltInMetric.COSINE ? 1.0 : 100.0);
        }
        assertThatThrownBy(() -> BuiltInMetric.COSINE.create(eval, null, "labels"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("apply to metric top1 only");
        assertThatThrownBy(() -> BuiltInMetric.parse("f1"))
                .hasMessageContaining("[top1, top1-agreement, cosine, sqnr]");
    }

    @Test
    void targetsToleratePureRoundingAndRefuseNonsense() {
        AccuracyTarget drop = new AccuracyTarget.MaxDrop(0.2);
        assertThat(drop.isMet(98.77, 98.57)).isTrue(); // 98.77 − 98.57 = 0.2000000000000028
        assertThat(drop.isMet(98.77, 98.56)).isFalse();
        assertThat(drop.isMet(98.77, Double.NaN)).isFalse();
        assertThat(new AccuracyTarget.AtLeast(30).isMet(Double.POSITIVE_INFINITY, 30))
                .isTrue();
        assertThat(new AccuracyTarget.AtLeast(30).isMet(Double.POSITIVE_INFINITY, 29.99))
                .isFalse();
        assertThatThrownBy(() -> new AccuracyTarget.MaxDrop(-1)).isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> new AccuracyTarget.MaxDrop(Double.NaN)).isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> new AccuracyTarget.AtLeast(Double.POSITIVE_INFINITY))
                .isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> drop.threshold(Double.POSITIVE_INFINITY)).isInstanceOf(InvalidConfigException.class);
    }
}
