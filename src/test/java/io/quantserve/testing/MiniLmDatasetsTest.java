package io.quantserve.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.quantserve.engine.calibration.data.ArrayInfo;
import io.quantserve.engine.calibration.data.NpzArchive;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** all-MiniLM-L6-v2 sets: token layout, and sane fp32 mean-pooled embeddings. */
class MiniLmDatasetsTest {
    private static final int LENGTH = ModelDatasets.MINILM_SEQUENCE_LENGTH;

    @Test
    void setsHoldTheThreeBertInputsForTwoDisjointSentenceRanges() {
        Path calib = ModelDatasets.miniLmCalibration();
        long[] shape = {256, LENGTH};
        assertThat(ClassifierDatasetsTest.layout(calib))
                .containsExactly(
                        new ArrayInfo("input_ids", DataType.INT64, shape),
                        new ArrayInfo("attention_mask", DataType.INT64, shape),
                        new ArrayInfo("token_type_ids", DataType.INT64, shape));

        BertTokenizer tokenizer = BertTokenizer.fromTokenizerJson(RealModels.miniLmTokenizer());
        try (NpzArchive c = NpzArchive.open(calib);
                NpzArchive e = NpzArchive.open(ModelDatasets.miniLmEvaluation())) {
            assertRow(c, 0, tokenizer.encode(ModelDatasets.sentences(0, 1).getFirst(), LENGTH));
            assertRow(e, 0, tokenizer.encode(ModelDatasets.sentences(256, 1).getFirst(), LENGTH));
            assertRow(e, 255, tokenizer.encode(ModelDatasets.sentences(511, 1).getFirst(), LENGTH));
            assertThat(e.read("token_type_ids").toLongs()).containsOnly(0);
        }
    }

    private static void assertRow(NpzArchive npz, int row, long[] expected) {
        long[] ids = npz.read("input_ids").slice0(row, row + 1).toLongs();
        long[] mask = npz.read("attention_mask").slice0(row, row + 1).toLongs();
        assertThat(expected[expected.length - 1]).as("not truncated").isEqualTo(102);
        for (int t = 0; t < LENGTH; t++) {
            assertThat(ids[t]).isEqualTo(t < expected.length ? expected[t] : 0);
            assertThat(mask[t]).isEqualTo(t < expected.length ? 1 : 0);
        }
    }

    @Test
    void fp32EmbeddingsAreFiniteNonZeroAndDistinct() {
        float[][] embeddings =
                Evaluations.meanPooledEmbeddings(RealModels.miniLm(), ModelDatasets.miniLmEvaluation(), 64);

        assertThat(embeddings).hasNumberOfRows(256);
        double cosineToNext = 0;
        for (int i = 0; i < embeddings.length; i++) {
            assertThat(embeddings[i]).hasSize(384);
            for (float x : embeddings[i]) {
                assertThat(Float.isFinite(x)).isTrue();
            }
            assertThat(Embeddings.norm(embeddings[i])).isGreaterThan(0.1);
            cosineToNext += Embeddings.cosine(embeddings[i], embeddings[(i + 1) % embeddings.length]);
        }
        // Unrelated fortunes: far from identical on average, yet all in the same (English-text) region.
        assertThat(cosineToNext / embeddings.length).isBetween(0.0, 0.5);
    }

    @Test
    void paddingDoesNotChangeTheMeanPooledEmbedding() {
        BertTokenizer tokenizer = BertTokenizer.fromTokenizerJson(RealModels.miniLmTokenizer());
        String sentence = ModelDatasets.sentences(256, 1).getFirst();
        BertTokenizer.BertBatch padded = tokenizer.encodeBatch(List.of(sentence), LENGTH);
        BertTokenizer.BertBatch tight =
                tokenizer.encodeBatch(List.of(sentence), tokenizer.encode(sentence, LENGTH).length);

        try (InferenceSession session = InferenceSession.open(RealModels.miniLm(), SessionSettings.defaults())) {
            float[] a = pooled(session, padded);
            float[] b = pooled(session, tight);
            assertThat(Embeddings.cosine(a, b)).isCloseTo(1.0, within(1e-5));
        }
    }

    private static float[] pooled(InferenceSession session, BertTokenizer.BertBatch batch) {
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        feeds.put("input_ids", batch.inputIds());
        feeds.put("attention_mask", batch.attentionMask());
        feeds.put("token_type_ids", batch.tokenTypeIds());
        Tensor hidden = session.run(feeds).values().iterator().next();
        return Embeddings.meanPooled(hidden, batch.attentionMask())[0];
    }
}
