package io.quantserve.testing;

import io.quantserve.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Task metrics of a model (fp32 or quantized) over a {@link ModelDatasets} evaluation set, run through {@link
 * ModelRunner}.
 */
public final class Evaluations {
    private Evaluations() {}

    /** Top-1 accuracy (0..1) of output 0 against the set's {@link ModelDatasets#LABELS}. */
    public static double top1(Path model, Path evaluationSet, int batchSize) {
        Tensor scores = ModelRunner.output(model, evaluationSet, batchSize, 0);
        return Accuracy.top1(scores, ModelDatasets.labels(evaluationSet));
    }

    /** Greedy-CTC text recognition accuracy of output 0, decoded batch by batch (the scores are large). */
    public static OcrAccuracy ocrRecognition(
            Path model, Path evaluationSet, List<String> expected, CtcGreedyDecoder decoder, int batchSize) {
        List<String> predicted = new ArrayList<>();
        ModelRunner.forEachBatch(
                model,
                evaluationSet,
                batchSize,
                (feeds, outputs) -> predicted.addAll(
                        decoder.decode(outputs.values().iterator().next())));
        return OcrAccuracy.of(predicted, expected);
    }

    /** Mean-pooled sentence embeddings: output 0 (last hidden state) pooled over the fed {@code attention_mask}. */
    public static float[][] meanPooledEmbeddings(Path model, Path evaluationSet, int batchSize) {
        List<float[]> rows = new ArrayList<>();
        ModelRunner.forEachBatch(model, evaluationSet, batchSize, (feeds, outputs) -> {
            Tensor mask = feeds.get("attention_mask");
            if (mask == null) {
                throw new IllegalArgumentException(model + " takes no attention_mask; inputs " + feeds.keySet());
            }
            rows.addAll(
                    List.of(Embeddings.meanPooled(outputs.values().iterator().next(), mask)));
        });
        return rows.toArray(float[][]::new);
    }
}
