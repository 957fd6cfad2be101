package io.quantserve.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.quantserve.engine.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metric helpers on hand-built tensors: no model, no shared data. */
class MetricsTest {

    @Test
    void argmaxTakesTheFirstOfTiedMaximaAndTop1CountsHits() {
        Tensor scores = Tensor.ofFloats(new long[] {3, 3}, new float[] {0.1f, 0.7f, 0.2f, 5, 5, -1, -3, -2, -1});

        assertThat(Accuracy.argmax(scores)).containsExactly(1, 0, 2);
        assertThat(Accuracy.top1(scores, new long[] {1, 0, 0})).isCloseTo(2.0 / 3, within(1e-12));
        assertThatThrownBy(() -> Accuracy.top1(scores, new long[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 score rows but 1 labels");
    }

    @Test
    void meanPoolingAveragesOnlyMaskedTokens() {
        // 2 sentences × 3 tokens × 2 dims; padded positions hold values that would show if they were averaged.
        Tensor hidden =
                Tensor.ofFloats(new long[] {2, 3, 2}, new float[] {1, 2, 3, 4, 100, 100, 5, -5, -100, 100, 100, -100});
        Tensor mask = Tensor.ofLongs(new long[] {2, 3}, new long[] {1, 1, 0, 1, 0, 0});

        float[][] pooled = Embeddings.meanPooled(hidden, mask);

        assertThat(pooled[0]).containsExactly(2f, 3f);
        assertThat(pooled[1]).containsExactly(5f, -5f);
        assertThat(Embeddings.cosine(pooled[0], pooled[0])).isCloseTo(1, within(1e-12));
        assertThat(Embeddings.cosine(new float[] {1, 0}, new float[] {0, 3})).isCloseTo(0, within(1e-12));
        assertThat(Embeddings.meanCosine(pooled, new float[][] {{4, 6}, {-5, 5}}))
                .isCloseTo((1 + -1) / 2.0, within(1e-12));
        assertThat(Embeddings.norm(new float[] {3, 4})).isEqualTo(5);
    }

    @Test
    void ctcDecoderCollapsesRepeatsDropsBlanksAndAppendsTheSpaceClass(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("keys.txt");
        Files.writeString(keys, "a\nb\n中", StandardCharsets.UTF_8);
        CtcGreedyDecoder decoder = CtcGreedyDecoder.fromKeys(keys);
        assertThat(decoder.classCount()).isEqualTo(5); // blank, a, b, 中, space

        // time steps: a a blank a b b space 中 blank
        int[] best = {1, 1, 0, 1, 2, 2, 4, 3, 0};
        float[] scores = new float[best.length * 5];
        for (int t = 0; t < best.length; t++) {
            for (int c = 0; c < 5; c++) {
                scores[t * 5 + c] = c == best[t] ? 0.9f : 0.025f;
            }
        }
        List<String> decoded = decoder.decode(Tensor.ofFloats(new long[] {1, best.length, 5}, scores));

        assertThat(decoded).containsExactly("aab 中");
        assertThatThrownBy(() -> decoder.decode(Tensor.ofFloats(new long[] {1, 1, 4}, new float[4])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[N, T, 5]");
    }

    @Test
    void ocrAccuracyStripsMarginsAndCountsEditDistanceInCodePoints() {
        OcrAccuracy acc = OcrAccuracy.of(List.of(" hello", "wrld", "中文x"), List.of("hello", "world", "中文"));

        assertThat(acc.lines()).isEqualTo(3);
        assertThat(acc.exactLines()).isEqualTo(1);
        assertThat(acc.labelChars()).isEqualTo(5 + 5 + 2);
        assertThat(acc.editDistance()).isEqualTo(2);
        assertThat(acc.exactLineRate()).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(acc.characterAccuracy()).isCloseTo(1 - 2 / 12.0, within(1e-12));
        assertThat(OcrAccuracy.levenshtein(
                        "kitten".codePoints().toArray(), "sitting".codePoints().toArray()))
                .isEqualTo(3);
    }

    @Test
    void concatStacksBatchesAlongTheFirstAxis() {
        Tensor a = Tensor.ofFloats(new long[] {1, 2}, new float[] {1, 2});
        Tensor b = Tensor.ofFloats(new long[] {2, 2}, new float[] {3, 4, 5, 6});

        Tensor all = ModelRunner.concat(List.of(a, b));

        assertThat(all.shape()).containsExactly(3, 2);
        assertThat(all.toFloats()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThatThrownBy(() -> ModelRunner.concat(List.of(a, Tensor.ofFloats(new long[] {1, 3}, new float[3]))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
