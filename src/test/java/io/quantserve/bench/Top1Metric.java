package io.quantserve.bench;

import io.quantserve.testing.Evaluations;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Top-1 accuracy against the labels of an evaluation set; the target is a minimum accuracy of the fake-quant model.
 *
 * @param description what the set is, for the table
 * @param testSet the evaluation set ({@code .npz} with labels)
 * @param batchSize samples per inference batch
 * @param minimum the target accuracy, 0..1
 */
record Top1Metric(String description, Supplier<Path> testSet, int batchSize, double minimum) implements TaskMetric {

    @Override
    public MetricResult evaluate(Path fp32, Path fakeQuant, Path int8) {
        Path set = testSet.get();
        Score f = score(Evaluations.top1(fp32, set, batchSize));
        Score q = score(Evaluations.top1(fakeQuant, set, batchSize));
        Score i = score(Evaluations.top1(int8, set, batchSize));
        return new MetricResult(
                "top-1, " + description, f, q, i, "≥ " + percent(minimum), q.value() >= minimum - 1e-12);
    }

    private static Score score(double accuracy) {
        return new Score(accuracy, percent(accuracy));
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f %%", fraction * 100);
    }
}
