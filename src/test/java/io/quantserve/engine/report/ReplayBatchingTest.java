package io.quantserve.engine.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.quant.LayerQuantization;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.TinyModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report built directly from models and factors: its metrics do not depend on how samples are batched. */
class ReplayBatchingTest {
    @TempDir
    Path tmp;

    @Test
    void theSameSamplesGiveTheSameMetricsHoweverTheyAreBatched() {
        ReportFixtures f = new ReportFixtures(tmp);
        ReportFixtures.Quantized quantized = f.quantized(f.quantize("out"));
        OnnxModel model = quantized.floatModel();
        List<LayerQuantization> layers = quantized.layers();
        OnnxModel fake = quantized.fakeQuant();
        Tensor x = TinyModel.random(42, -1f, 1f, 8, 2, 6, 6);
        List<Map<String, Tensor>> singles = new ArrayList<>();
        for (int i = 0; i < 8; i++) singles.add(Map.of("x", x.slice0(i, i + 1)));

        // One batch of 8 runs as two runs of 4 samples; eight batches of 1 run one sample at a time.
        QualityReport whole = build(model, fake, layers, List.of(Map.of("x", x)));
        QualityReport split = build(model, fake, layers, singles);

        assertThat(whole.layers()).hasSize(5);
        for (int i = 0; i < whole.layers().size(); i++) {
            QualityReport.Layer a = whole.layers().get(i);
            QualityReport.Layer b = split.layers().get(i);
            assertThat(a.input()).as(a.name()).isEqualTo(b.input());
            assertThat(a.output().sqnrDb()).as(a.name()).isCloseTo(b.output().sqnrDb(), within(1e-3));
            assertThat(a.output().isolatedSqnrDb()).isCloseTo(b.output().isolatedSqnrDb(), within(1e-3));
            assertThat(a.output().cosine()).isCloseTo(b.output().cosine(), within(1e-8));
            assertThat(a.flags()).isEqualTo(b.flags());
        }
        assertThat(whole.layers().getFirst().input().values()).isEqualTo(8 * 2 * 6 * 6);
        assertThat(whole.sensitivity().ranking())
                .extracting(QualityReport.Ranked::name)
                .isEqualTo(split.sensitivity().ranking().stream()
                        .map(QualityReport.Ranked::name)
                        .toList());
    }

    private QualityReport build(
            OnnxModel model, OnnxModel fake, List<LayerQuantization> layers, List<Map<String, Tensor>> feeds) {
        return QualityReports.build(
                new ReportInput("tiny", "quantize", "minmax", model, fake, layers, List.of(), feeds, List.of()), tmp);
    }
}
