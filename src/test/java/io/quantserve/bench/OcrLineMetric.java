package io.quantserve.bench;

import io.quantserve.testing.Evaluations;
import io.quantserve.testing.ModelDatasets;
import io.quantserve.testing.OcrAccuracy;
import java.nio.file.Path;
import java.util.Locale;

/**
 * PP-OCRv3 rec: exact lines and character accuracy (greedy CTC) on the 200 test lines. The target (≥ 97 %
 * exact lines) is checked on the run's fake-quant model with every layer INT8, the stretch goal; the
 * accuracy-based mode it names for the main target is not in the engine yet.
 */
record OcrLineMetric(double minimumExact) implements TaskMetric {
    private static final int BATCH = 50;

    @Override
    public MetricResult evaluate(Path fp32, Path fakeQuant, Path int8) {
        Score q = score(fakeQuant);
        return new MetricResult(
                "exact lines / characters, 200 test lines",
                score(fp32),
                q,
                score(int8),
                "≥ " + Top1Metric.percent(minimumExact) + " exact (every layer INT8: the stretch goal)",
                q.value() >= minimumExact);
    }

    private static Score score(Path model) {
        OcrAccuracy a = Evaluations.ocrRecognition(
                model,
                ModelDatasets.ocrRecTest(),
                ModelDatasets.ocrRecTestLabels(),
                ModelDatasets.ocrRecDecoder(),
                BATCH);
        return new Score(
                a.exactLineRate(),
                Top1Metric.percent(a.exactLineRate()) + " / "
                        + String.format(Locale.ROOT, "%.2f %%", a.characterAccuracy() * 100));
    }
}
