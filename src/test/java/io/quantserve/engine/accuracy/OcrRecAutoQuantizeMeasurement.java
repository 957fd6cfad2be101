package io.quantserve.engine.accuracy;

import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.pipeline.QuantizeRequest;
import io.quantserve.testing.Evaluations;
import io.quantserve.testing.ModelDatasets;
import io.quantserve.testing.OcrAccuracy;
import io.quantserve.testing.RealModels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a check (minutes on a small machine): PP-OCRv3 rec in the accuracy-based mode, target ≥ 97 %
 * exact lines on the 200 test lines (fp32 98.5 %), with the task metric supplied as an {@link AccuracyMetric}, and the
 * same search with the generic proxy (per-time-step arg-max agreement with fp32, at most {@code quantserve.proxyDrop}
 * points below, default 1). Prints the
 * numbers. Run with {@code -Dquantserve.measureAutoQuantize=true -Dtest=OcrRecAutoQuantizeMeasurement}.
 */
@EnabledIfSystemProperty(named = "quantserve.measureAutoQuantize", matches = "true")
class OcrRecAutoQuantizeMeasurement {
    @TempDir
    Path tmp;

    @Test
    void exactLinesTarget() {
        List<String> labels = ModelDatasets.ocrRecTestLabels();
        measure(new OcrExactLinesMetric(ModelDatasets.ocrRecDecoder(), labels), new AccuracyTarget.AtLeast(97.0));
    }

    @Test
    void perTimestepAgreementProxy() {
        measure(
                BuiltInMetric.TOP1_AGREEMENT.create(ModelDatasets.ocrRecTest(), null, null),
                new AccuracyTarget.MaxDrop(Double.parseDouble(System.getProperty("quantserve.proxyDrop", "1.0"))));
    }

    private void measure(AccuracyMetric metric, AccuracyTarget target) {
        Path model = RealModels.ocrRecognizer();
        Path test = ModelDatasets.ocrRecTest();
        Path out = tmp.resolve("out");
        int sensitivityBatches = Integer.getInteger("quantserve.sensitivityBatches", 1);
        long start = System.nanoTime();
        AutoQuantizeResult r = AutoQuantizer.run(
                new AutoQuantizeRequest(
                        new QuantizeRequest(
                                model,
                                ModelDatasets.ocrRecCalibration(),
                                null,
                                ConfigOptions.defaults(),
                                16,
                                4,
                                out,
                                sensitivityBatches),
                        test,
                        20,
                        metric,
                        target,
                        RankBy.valueOf(System.getProperty("quantserve.rankBy", "ISOLATED_SQNR")),
                        null),
                new ProgressListener() {
                    @Override
                    public void stage(String name) {
                        System.out.printf("[%6.1fs] %s%n", (System.nanoTime() - start) / 1e9, name);
                    }
                });
        double seconds = (System.nanoTime() - start) / 1e9;
        OcrAccuracy published = Evaluations.ocrRecognition(
                out.resolve(r.artefacts().stream()
                        .filter(a -> a.endsWith("_fake_quant_model.onnx"))
                        .findFirst()
                        .orElseThrow()),
                test,
                ModelDatasets.ocrRecTestLabels(),
                ModelDatasets.ocrRecDecoder(),
                20);
        System.out.println("MEASURE metric=" + r.metric() + " target=" + r.target() + " fp32=" + r.floatValue()
                + " allInt8=" + r.allInt8Value() + " final=" + r.finalValue() + " quantized="
                + r.quantizedLayers().size() + " float=" + r.layersInFloat().size() + " " + r.layersInFloat()
                + " seconds=" + seconds);
        System.out.println("MEASURE published exact lines " + 100 * published.exactLineRate() + " % chars "
                + 100 * published.characterAccuracy() + " %");
        r.candidates()
                .forEach(c -> System.out.println(
                        "MEASURE candidate k=" + c.floatCount() + " value=" + c.value() + " passed=" + c.passed()));
    }
}
