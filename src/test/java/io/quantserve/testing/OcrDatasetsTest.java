package io.quantserve.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.quantserve.engine.calibration.data.ArrayInfo;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PP-OCRv3 rec and det sets: layout, and fp32 rec accuracy as in {@code ../shared/data/README.md}. */
class OcrDatasetsTest {

    @Test
    void recognizerReadsTheTestLinesAtTheReferenceAccuracy() {
        assertThat(ClassifierDatasetsTest.layout(ModelDatasets.ocrRecCalibration()))
                .containsExactly(new ArrayInfo("x", DataType.FLOAT, new long[] {64, 3, 48, 320}));
        Path test = ModelDatasets.ocrRecTest();
        assertThat(ClassifierDatasetsTest.layout(test))
                .containsExactly(new ArrayInfo("x", DataType.FLOAT, new long[] {200, 3, 48, 320}));
        List<String> labels = ModelDatasets.ocrRecTestLabels();
        CtcGreedyDecoder decoder = ModelDatasets.ocrRecDecoder();
        assertThat(labels).hasSize(200);
        assertThat(decoder.classCount()).isEqualTo(6625);

        OcrAccuracy fp32 = Evaluations.ocrRecognition(RealModels.ocrRecognizer(), test, labels, decoder, 50);

        // 98.5 % exact lines (197 of 200), 99.91 % characters.
        assertThat(fp32.exactLineRate()).isCloseTo(0.985, within(0.001));
        assertThat(fp32.characterAccuracy()).isCloseTo(0.9991, within(0.001));
    }

    @Test
    void detectorFindsTextOnlyWhereThereIsSome() {
        Path calib = ModelDatasets.ocrDetCalibration();
        int images = ModelDatasets.imageFiles().size();
        assertThat(ClassifierDatasetsTest.layout(calib))
                .containsExactly(new ArrayInfo("x", DataType.FLOAT, new long[] {images, 3, 320, 320}));

        Tensor map = ModelRunner.output(RealModels.ocrDetector(), calib, 5, 0);

        assertThat(map.shape()).containsExactly(images, 1, 320, 320);
        float[] v = map.toFloats();
        int plane = 320 * 320;
        int withText = 0;
        int withoutText = 0;
        for (int i = 0; i < images; i++) {
            int textPixels = 0;
            for (int p = 0; p < plane; p++) {
                float x = v[i * plane + p];
                assertThat(x).isBetween(0f, 1f);
                textPixels += x > 0.3f ? 1 : 0;
            }
            withText += textPixels > 100 ? 1 : 0;
            withoutText += textPixels == 0 ? 1 : 0;
        }
        // Most photos hold no text; a mis-normalised input lights up everywhere or nowhere.
        assertThat(withText).isPositive();
        assertThat(withoutText).isGreaterThanOrEqualTo(images / 2);
    }
}
