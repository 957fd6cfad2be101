package io.quantserve.engine.pipeline;

import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.config.ActivationAlgorithm;
import io.quantserve.engine.config.ConfigOptions;
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
 * A measurement, not a check: every activation algorithm on MNIST (fake-quant top-1 on the 10 000 test images) and
 * PP-OCRv3 rec (exact lines on the 200 test lines), with the run's wall time. Slow; runs only with {@code
 * -Dquantserve.compareAlgorithms=true}.
 */
@EnabledIfSystemProperty(named = "quantserve.compareAlgorithms", matches = "true")
class ActivationAlgorithmComparison {
    @TempDir
    Path tmp;

    static final List<ActivationAlgorithm> ALGORITHMS = List.of(
            ActivationAlgorithm.amctDefault(),
            ActivationAlgorithm.Hfmg.DEFAULT,
            new ActivationAlgorithm.MinMax(),
            ActivationAlgorithm.Percentile.DEFAULT,
            new ActivationAlgorithm.Percentile(0.9999),
            ActivationAlgorithm.Kl.DEFAULT);

    private QuantizeResult quantize(
            Path model, Path data, int batchSize, int batchNum, ActivationAlgorithm a, boolean offset, Path out) {
        return QuantizationPipeline.quantize(
                new QuantizeRequest(
                        model,
                        data,
                        null,
                        ConfigOptions.builder()
                                .defaultAlgorithm(a)
                                .activationOffset(offset)
                                .build(),
                        batchSize,
                        batchNum,
                        out,
                        1),
                ProgressListener.NONE);
    }

    @Test
    void mnist() {
        for (boolean offset : new boolean[] {true, false}) {
            for (ActivationAlgorithm a : ALGORITHMS) {
                Path out = tmp.resolve("mnist-" + a.algo().jsonName() + offset + System.nanoTime());
                long t0 = System.nanoTime();
                quantize(RealModels.mnistCnn(), ModelDatasets.mnistCnnCalibration(256), 32, 8, a, offset, out);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                double top1 = Evaluations.top1(
                        out.resolve("mnist_cnn_fake_quant_model.onnx"), ModelDatasets.mnistCnnTest(), 1000);
                System.out.printf("COMPARE mnist %-40s offset=%s top1 %.4f  quantize %d ms%n", a, offset, top1, ms);
            }
        }
    }

    @Test
    void ocrRecognizer() {
        for (boolean offset : new boolean[] {true, false}) {
            for (ActivationAlgorithm a : ALGORITHMS) {
                Path out = tmp.resolve("ocr-" + a.algo().jsonName() + offset + System.nanoTime());
                long t0 = System.nanoTime();
                quantize(RealModels.ocrRecognizer(), ModelDatasets.ocrRecCalibration(), 16, 4, a, offset, out);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                String base = QuantizationPipeline.baseName(RealModels.ocrRecognizer());
                OcrAccuracy acc = Evaluations.ocrRecognition(
                        out.resolve(base + "_fake_quant_model.onnx"),
                        ModelDatasets.ocrRecTest(),
                        ModelDatasets.ocrRecTestLabels(),
                        ModelDatasets.ocrRecDecoder(),
                        50);
                System.out.printf(
                        "COMPARE ocr_rec %-40s offset=%s exact %.3f edit %d/%d  quantize %d ms%n",
                        a, offset, acc.exactLineRate(), acc.editDistance(), acc.labelChars(), ms);
            }
        }
    }
}
