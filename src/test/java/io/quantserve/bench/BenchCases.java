package io.quantserve.bench;

import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.ModelDatasets;
import io.quantserve.testing.RealModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The benchmark's cases: the model table, and the calibration-data scaling runs. */
final class BenchCases {
    /** YOLOX: final detections are those scoring above this (objectness × class probability). */
    static final double YOLOX_SCORE = 0.4;
    /** UltraFace: faces are anchors whose face probability is above this. */
    static final double ULTRAFACE_PROBABILITY = 0.7;

    private static final int YOLOX_INPUT = 416;

    private BenchCases() {}

    /** The table: each model with its default calibration schedule and task metric. */
    static List<BenchCase> table() {
        return List.of(
                new BenchCase(
                        "mnist_cnn",
                        RealModels::mnistCnn,
                        () -> ModelDatasets.mnistCnnCalibration(256),
                        32,
                        8,
                        new Top1Metric("10 000 test images", ModelDatasets::mnistCnnTest, 1000, 0.986)),
                new BenchCase(
                        "fashion_mnist",
                        RealModels::fashionMnist,
                        () -> ModelDatasets.fashionCalibration(256),
                        32,
                        8,
                        new Top1Metric("10 000 test images", ModelDatasets::fashionTest, 1000, 0.899)),
                new BenchCase(
                        "ppocr_cls",
                        RealModels::ocrClassifier,
                        ModelDatasets::ocrClsCalibration,
                        32,
                        4,
                        new Top1Metric("400 test lines", ModelDatasets::ocrClsTest, 100, 0.995)),
                new BenchCase(
                        "ppocr_rec",
                        RealModels::ocrRecognizer,
                        ModelDatasets::ocrRecCalibration,
                        16,
                        4,
                        new OcrLineMetric(0.97)),
                new BenchCase(
                        "minilm",
                        RealModels::miniLm,
                        ModelDatasets::miniLmCalibration,
                        32,
                        8,
                        new EmbeddingMetric(0.993, 0.98)),
                new BenchCase(
                        "yolox_nano",
                        RealModels::yoloxNano,
                        ModelDatasets::yoloxCalibration,
                        1,
                        BenchCase.ALL_SAMPLES,
                        new DetectionMetric(
                                "score > " + YOLOX_SCORE + ", class-wise NMS IoU " + DetectionDecoders.YOLOX_NMS_IOU,
                                ModelDatasets::yoloxCalibration,
                                YOLOX_SCORE,
                                outputs -> DetectionDecoders.yolox(single(outputs), YOLOX_INPUT, YOLOX_SCORE))),
                new BenchCase(
                        "ultraface",
                        RealModels::ultraface,
                        ModelDatasets::ultrafaceCalibration,
                        1,
                        BenchCase.ALL_SAMPLES,
                        new DetectionMetric(
                                "face probability > " + ULTRAFACE_PROBABILITY + ", NMS IoU "
                                        + DetectionDecoders.ULTRAFACE_NMS_IOU,
                                ModelDatasets::ultrafaceCalibration,
                                ULTRAFACE_PROBABILITY,
                                outputs -> DetectionDecoders.ultraface(
                                        byLastDim(outputs, 2), byLastDim(outputs, 4), ULTRAFACE_PROBABILITY))));
    }

    /**
     * The scaling runs, in pairs (1×, 8×) of the same model and batch size: MNIST with the first 32 and the first 256
     * calibration images, PP-OCRv3 rec with its 64 calibration lines and those lines repeated 8 times (512; the
     * shared data has no more distinct lines).
     *
     * @param dataDir where the repeated set is written
     */
    static List<BenchCase> scaling(Path dataDir) {
        return List.of(
                new BenchCase(
                        "scaling_mnist_1x",
                        RealModels::mnistCnn,
                        () -> ModelDatasets.mnistCnnCalibration(32),
                        32,
                        1,
                        null),
                new BenchCase(
                        "scaling_mnist_8x",
                        RealModels::mnistCnn,
                        () -> ModelDatasets.mnistCnnCalibration(256),
                        32,
                        8,
                        null),
                new BenchCase(
                        "scaling_ppocr_rec_1x",
                        RealModels::ocrRecognizer,
                        ModelDatasets::ocrRecCalibration,
                        16,
                        4,
                        null),
                new BenchCase(
                        "scaling_ppocr_rec_8x",
                        RealModels::ocrRecognizer,
                        () -> TiledDataset.write(
                                ModelDatasets.ocrRecCalibration(), 8, dataDir.resolve("ocr_rec-calib-x8.npz")),
                        16,
                        32,
                        null));
    }

    private static Tensor single(Map<String, Tensor> outputs) {
        if (outputs.size() != 1) throw new IllegalArgumentException("expected one output, got " + outputs.keySet());
        return outputs.values().iterator().next();
    }

    private static Tensor byLastDim(Map<String, Tensor> outputs, long last) {
        return outputs.values().stream()
                .filter(t -> t.dim(t.rank() - 1) == last)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no output [..., " + last + "] among " + outputs));
    }
}
