package io.quantserve.bench;

import io.quantserve.testing.Embeddings;
import io.quantserve.testing.Evaluations;
import io.quantserve.testing.ModelDatasets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * all-MiniLM-L6-v2: cosine between each sentence's mean-pooled embedding from the quantized model and from the fp32
 * model, over sentences 257–512 of {@code sentences.txt}; the target is a minimum mean and a minimum worst case. The
 * {@link Score#value()} of a quantized model is the mean cosine.
 */
record EmbeddingMetric(double minimumMean, double minimumMin) implements TaskMetric {
    private static final int BATCH = 32;

    @Override
    public MetricResult evaluate(Path fp32, Path fakeQuant, Path int8) {
        Path set = ModelDatasets.miniLmEvaluation();
        float[][] reference = Evaluations.meanPooledEmbeddings(fp32, set, BATCH);
        Cosines q = Cosines.of(reference, Evaluations.meanPooledEmbeddings(fakeQuant, set, BATCH));
        Cosines i = Cosines.of(reference, Evaluations.meanPooledEmbeddings(int8, set, BATCH));
        return new MetricResult(
                "cosine to fp32 (mean / min), sentences 257–512",
                new Score(1, "reference"),
                q.score(),
                i.score(),
                String.format(Locale.ROOT, "mean ≥ %.3f, min ≥ %.2f", minimumMean, minimumMin),
                q.mean() >= minimumMean && q.min() >= minimumMin);
    }

    private record Cosines(double mean, double min) {
        static Cosines of(float[][] reference, float[][] candidate) {
            double min = Double.POSITIVE_INFINITY;
            for (int k = 0; k < reference.length; k++) {
                min = Math.min(min, Embeddings.cosine(reference[k], candidate[k]));
            }
            return new Cosines(Embeddings.meanCosine(reference, candidate), min);
        }

        Score score() {
            return new Score(mean, String.format(Locale.ROOT, "%.4f / %.4f", mean, min));
        }
    }
}
