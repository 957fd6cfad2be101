package io.quantserve.engine.accuracy;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.pipeline.QuantizeRequest;
import io.quantserve.testing.Evaluations;
import io.quantserve.testing.ModelDatasets;
import io.quantserve.testing.RealModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The accuracy-based mode on a real model and its real test set. */
class RealModelAutoQuantizeTest {
    @TempDir
    Path tmp;

    @Test
    void mnistCnnMeetsATwoTenthsPointTop1Drop() {
        Path model = RealModels.mnistCnn();
        Path test = ModelDatasets.mnistCnnTest();
        Path out = tmp.resolve("out");
        AutoQuantizeResult r = AutoQuantizer.run(
                new AutoQuantizeRequest(
                        new QuantizeRequest(
                                model,
                                ModelDatasets.mnistCnnCalibration(64),
                                null,
                                ConfigOptions.defaults(),
                                32,
                                2,
                                out,
                                1),
                        test,
                        500,
                        BuiltInMetric.TOP1.create(test, null, null),
                        new AccuracyTarget.MaxDrop(0.2),
                        RankBy.ISOLATED_SQNR,
                        null),
                ProgressListener.NONE);

        // fp32 reaches 98.77 % on the 10 000 test digits (the table).
        assertThat(r.floatValue()).isCloseTo(98.77, org.assertj.core.data.Offset.offset(0.005));
        assertThat(r.finalValue()).isGreaterThanOrEqualTo(r.floatValue() - 0.2 - 1e-9);
        assertThat(r.candidates().getLast().passed()).isTrue();
        // The published fake-quant model scores what the search measured, by an independent evaluation.
        double published = 100 * Evaluations.top1(out.resolve("mnist_cnn_fake_quant_model.onnx"), test, 500);
        assertThat(published).isCloseTo(r.finalValue(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.quantizedLayers()).isNotEmpty();
    }
}
