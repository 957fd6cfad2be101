package io.quantserve.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.quantserve.engine.calibration.data.ArrayInfo;
import io.quantserve.engine.calibration.data.NpzArchive;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MNIST, Fashion-MNIST and PP-OCR cls sets: layout, preprocessing, and fp32 top-1 reproducing the accuracies of
 * {@code ../shared/models/README.md} and {@code ../shared/data/README.md} within 0.1 %-point.
 */
class ClassifierDatasetsTest {
    private static final double TOLERANCE = 0.001;

    @Test
    void mnistCalibrationIsTheFirstRowsScaledToPlusMinusOne() {
        Path file = ModelDatasets.mnistCnnCalibration(32);

        try (NpzArchive npz = NpzArchive.open(file)) {
            assertThat(npz.arrays())
                    .containsExactly(new ArrayInfo("input", DataType.FLOAT, new long[] {32, 1, 28, 28}));
            float[] x = npz.read("input").toFloats();
            long[] raw = SharedArrays.read("mnist.npz", "calib").slice0(0, 32).toLongs();
            for (int i = 0; i < raw.length; i++) {
                assertThat(x[i]).isEqualTo((float) ((raw[i] / 255.0 - 0.5) / 0.5));
            }
            assertThat(min(x)).isEqualTo(-1f);
            assertThat(max(x)).isEqualTo(1f);
        }
    }

    @Test
    void mnistCnnReaches9877Percent() {
        Path test = ModelDatasets.mnistCnnTest();
        assertThat(layout(test))
                .containsExactly(
                        new ArrayInfo("input", DataType.FLOAT, new long[] {10000, 1, 28, 28}),
                        new ArrayInfo(ModelDatasets.LABELS, DataType.INT64, new long[] {10000}));

        assertThat(Evaluations.top1(RealModels.mnistCnn(), test, 1000)).isCloseTo(0.9877, within(TOLERANCE));
    }

    @Test
    void mnistWithExternalDataReaches9737Percent() {
        assertThat(layout(ModelDatasets.mnistExternalDataCalibration(16)))
                .containsExactly(new ArrayInfo("input", DataType.FLOAT, new long[] {16, 1, 28, 28}));

        assertThat(Evaluations.top1(RealModels.mnistExternalData(), ModelDatasets.mnistExternalDataTest(), 1000))
                .isCloseTo(0.9737, within(TOLERANCE));
    }

    @Test
    void fashionIsScaledToUnitRangeAndReaches9015Percent() {
        try (NpzArchive npz = NpzArchive.open(ModelDatasets.fashionCalibration(256))) {
            Tensor x = npz.read("input");
            assertThat(x.shape()).containsExactly(256, 1, 28, 28);
            assertThat(min(x.toFloats())).isEqualTo(0f);
            assertThat(max(x.toFloats())).isEqualTo(1f);
        }

        assertThat(Evaluations.top1(RealModels.fashionMnist(), ModelDatasets.fashionTest(), 128))
                .isCloseTo(0.9015, within(TOLERANCE));
    }

    @Test
    void ocrDirectionClassifierReaches9975Percent() {
        assertThat(layout(ModelDatasets.ocrClsCalibration()))
                .containsExactly(new ArrayInfo("x", DataType.FLOAT, new long[] {128, 3, 48, 192}));
        Path test = ModelDatasets.ocrClsTest();
        assertThat(ModelDatasets.labels(test)).hasSize(400).containsOnly(0, 1);

        assertThat(Evaluations.top1(RealModels.ocrClassifier(), test, 100)).isCloseTo(0.9975, within(TOLERANCE));
    }

    @Test
    void calibrationSampleCountIsChecked() {
        assertThatThrownBy(() -> ModelDatasets.mnistCnnCalibration(257))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1..256");
    }

    static List<ArrayInfo> layout(Path npzFile) {
        try (NpzArchive npz = NpzArchive.open(npzFile)) {
            return npz.arrays();
        }
    }

    private static float min(float[] v) {
        float m = Float.POSITIVE_INFINITY;
        for (float x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static float max(float[] v) {
        float m = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
