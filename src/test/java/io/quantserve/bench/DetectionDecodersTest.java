package io.quantserve.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.quantserve.engine.calibration.data.NpzArchive;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.ModelDatasets;
import io.quantserve.testing.RealModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DetectionDecodersTest {

    @Test
    void iouOfOverlappingDisjointAndIdenticalBoxes() {
        Detection a = new Detection(0, 1f, 0, 0, 2, 2);
        assertThat(a.iou(new Detection(0, 1f, 1, 0, 3, 2))).isCloseTo(2.0 / 6.0, within(1e-12));
        assertThat(a.iou(new Detection(0, 1f, 5, 5, 6, 6))).isZero();
        assertThat(a.iou(a)).isEqualTo(1.0);
    }

    @Test
    void nmsKeepsTheBestBoxPerLabelAndOverlap() {
        Detection best = new Detection(1, 0.9f, 0, 0, 10, 10);
        Detection overlapping = new Detection(1, 0.8f, 1, 0, 11, 10);
        Detection otherLabel = new Detection(2, 0.7f, 1, 0, 11, 10);
        Detection apart = new Detection(1, 0.6f, 20, 20, 30, 30);
        assertThat(DetectionDecoders.nonMaximumSuppression(List.of(apart, overlapping, otherLabel, best), 0.45))
                .containsExactly(best, otherLabel, apart);
    }

    @Test
    void matchingPairsSameLabelAboveTheIouAndCountsExtras() {
        List<Detection> reference =
                List.of(new Detection(1, 0.9f, 0, 0, 10, 10), new Detection(2, 0.8f, 20, 20, 30, 30));
        List<Detection> shifted = List.of(
                new Detection(1, 0.85f, 1, 1, 11, 11),
                new Detection(3, 0.8f, 20, 20, 30, 30),
                new Detection(2, 0.5f, 40, 40, 50, 50));
        DetectionMatch m = DetectionMatch.of(reference, shifted, 0.5);
        assertThat(m).isEqualTo(new DetectionMatch(2, 1, 2));
        assertThat(m.identical()).isFalse();
        assertThat(DetectionMatch.of(reference, reference, 0.5).identical()).isTrue();
        assertThat(DetectionMatch.of(List.of(), List.of(), 0.5).identical()).isTrue();
    }

    @Test
    void objectsScoredJustAboveTheThresholdMayComeAndGoClearOnesMayNot() {
        Detection clearDog = new Detection(16, 0.9f, 0, 0, 10, 10);
        Detection nearCat = new Detection(15, 0.42f, 20, 20, 30, 30);
        List<Detection> reference = List.of(clearDog, nearCat);
        // The cat, 0.02 above the threshold in fp32, is lost: a different strict result, the same clear detections.
        List<Detection> catLost = List.of(new Detection(16, 0.85f, 1, 1, 11, 11));
        assertThat(DetectionMatch.of(reference, catLost, 0.5).identical()).isFalse();
        assertThat(DetectionMatch.sameClearDetections(reference, catLost, 0.4, 0.05, 0.5))
                .isTrue();
        // The clear dog lost, or a clear car that fp32 does not detect, differs whatever the band.
        assertThat(DetectionMatch.sameClearDetections(reference, List.of(nearCat), 0.4, 0.05, 0.5))
                .isFalse();
        List<Detection> clearNewCar = List.of(clearDog, nearCat, new Detection(2, 0.7f, 40, 40, 50, 50));
        assertThat(DetectionMatch.sameClearDetections(reference, clearNewCar, 0.4, 0.05, 0.5))
                .isFalse();
        // A new detection just above the threshold is within the band.
        List<Detection> nearNewCar = List.of(clearDog, nearCat, new Detection(2, 0.43f, 40, 40, 50, 50));
        assertThat(DetectionMatch.sameClearDetections(reference, nearNewCar, 0.4, 0.05, 0.5))
                .isTrue();
    }

    @Test
    void yoloxFindsTheDogBicycleAndCarOfDogJpg() {
        Map<String, Tensor> outputs = runOnImage(RealModels.yoloxNano(), ModelDatasets.yoloxCalibration(), "dog.jpg");
        List<Detection> found =
                DetectionDecoders.yolox(outputs.values().iterator().next(), 416, BenchCases.YOLOX_SCORE);
        // COCO classes 16 dog, 1 bicycle, 2 car; the shared models' README gives 0.83, 0.81, 0.81 (ONNX Runtime 1.30)
        assertThat(found).extracting(Detection::label).containsExactlyInAnyOrder(16, 1, 2);
        for (Detection d : found) assertThat((double) d.score()).isBetween(0.78, 0.86);
    }

    @Test
    void ultraFaceFindsFacesInTheFacesPhoto() {
        Map<String, Tensor> outputs =
                runOnImage(RealModels.ultraface(), ModelDatasets.ultrafaceCalibration(), "faces_pexels.jpg");
        Tensor scores =
                outputs.values().stream().filter(t -> t.dim(2) == 2).findFirst().orElseThrow();
        Tensor boxes =
                outputs.values().stream().filter(t -> t.dim(2) == 4).findFirst().orElseThrow();
        List<Detection> faces = DetectionDecoders.ultraface(scores, boxes, BenchCases.ULTRAFACE_PROBABILITY);
        assertThat(faces).isNotEmpty();
        assertThat((double) faces.getFirst().score()).isGreaterThan(0.99);
        for (Detection d : faces) {
            assertThat(d.x2()).isGreaterThan(d.x1());
            assertThat(d.y2()).isGreaterThan(d.y1());
            assertThat(d.x1()).isBetween(-0.1f, 1.1f);
        }
    }

    private static Map<String, Tensor> runOnImage(Path model, Path images, String file) {
        int index = ModelDatasets.imageFiles().stream()
                .map(p -> p.getFileName().toString())
                .toList()
                .indexOf(file);
        assertThat(index).as(file + " among the shared images").isNotNegative();
        try (NpzArchive archive = NpzArchive.open(images);
                InferenceSession session = InferenceSession.open(model, SessionSettings.defaults())) {
            String input = session.inputs().getFirst().name();
            Tensor all = archive.read(archive.arrays().getFirst().name());
            return session.run(Map.of(input, all.slice0(index, index + 1)));
        }
    }
}
