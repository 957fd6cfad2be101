package io.quantserve.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.quantserve.engine.calibration.data.ArrayInfo;
import io.quantserve.engine.tensor.DataType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * YOLOX-nano and UltraFace image sets: layout, and fp32 detections as in {@code ../shared/models/README.md}. The
 * tolerance covers javax.imageio's JPEG decoder against OpenCV's.
 */
class DetectorDatasetsTest {
    private static final int ANCHORS_YOLOX = 3549;
    private static final int ANCHORS_ULTRAFACE = 4420;

    @Test
    void yoloxSeesDogBicycleAndCarInDogJpg() {
        List<Path> files = ModelDatasets.imageFiles();
        Path images = ModelDatasets.yoloxCalibration();
        assertThat(ClassifierDatasetsTest.layout(images))
                .containsExactly(new ArrayInfo("images", DataType.FLOAT, new long[] {files.size(), 3, 416, 416}));

        float[] out = ModelRunner.output(RealModels.yoloxNano(), images, 1, 0).toFloats();
        int dog = indexOf(files, "dog.jpg");

        // COCO classes 16 dog, 1 bicycle, 2 car; score = objectness × class probability.
        assertThat(bestScore(out, dog, 16)).isCloseTo(0.83, within(0.03));
        assertThat(bestScore(out, dog, 1)).isCloseTo(0.81, within(0.03));
        assertThat(bestScore(out, dog, 2)).isCloseTo(0.81, within(0.03));
        assertThat(bestScore(out, dog, 0)).as("no person in dog.jpg").isLessThan(0.4);
    }

    @Test
    void ultrafaceFindsFacesOnlyWhereThereAreFaces() {
        List<Path> files = ModelDatasets.imageFiles();
        Path images = ModelDatasets.ultrafaceCalibration();
        assertThat(ClassifierDatasetsTest.layout(images))
                .containsExactly(new ArrayInfo("input", DataType.FLOAT, new long[] {files.size(), 3, 240, 320}));

        float[] scores =
                ModelRunner.output(RealModels.ultraface(), images, 1, 0).toFloats();

        assertThat(maxFace(scores, indexOf(files, "faces_pexels.jpg"))).isCloseTo(0.999, within(0.002));
        assertThat(maxFace(scores, indexOf(files, "astronaut.png"))).isGreaterThan(0.99);
        for (String noFace : List.of("coffee.png", "dog.jpg", "eagle.jpg", "kite.jpg")) {
            assertThat(maxFace(scores, indexOf(files, noFace))).as(noFace).isLessThan(0.5);
        }
    }

    private static int indexOf(List<Path> files, String name) {
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).getFileName().toString().equals(name)) {
                return i;
            }
        }
        throw new AssertionError(name + " missing from " + files);
    }

    private static double bestScore(float[] out, int image, int cocoClass) {
        double best = 0;
        for (int a = 0; a < ANCHORS_YOLOX; a++) {
            int row = (image * ANCHORS_YOLOX + a) * 85;
            best = Math.max(best, out[row + 4] * out[row + 5 + cocoClass]);
        }
        return best;
    }

    private static double maxFace(float[] scores, int image) {
        double best = 0;
        for (int a = 0; a < ANCHORS_ULTRAFACE; a++) {
            best = Math.max(best, scores[(image * ANCHORS_ULTRAFACE + a) * 2 + 1]);
        }
        return best;
    }
}
