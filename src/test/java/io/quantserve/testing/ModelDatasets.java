package io.quantserve.testing;

import io.quantserve.engine.calibration.data.NpzArchive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Model-ready calibration and evaluation sets for the real models of {@link RealModels}, built from the shared raw
 * data ({@code ../shared/data}) and cached as {@code .npz} files under {@code java.io.tmpdir/quantserve-test-data/}
 * (written atomically, reused when present; see {@link DatasetCache}).
 *
 * <p>Every array is keyed by the model input it feeds (names read from the model), its first axis counts samples,
 * floats are float32 and integers int64; evaluation sets add the int64 array {@link #LABELS} where the task has class
 * labels (calibration data ignores arrays that feed no input). Deterministic: the same shared data always gives the
 * same bytes. A method skips the calling test when it needs an absent shared model or, to build a file not yet
 * cached, absent shared data.
 */
public final class ModelDatasets {
    /** Key of the int64 class labels in evaluation sets. */
    public static final String LABELS = "labels";

    /** Tokens per MiniLM row: sentences 1–512 of {@code sentences.txt} fit without truncation (the longest is 64). */
    public static final int MINILM_SEQUENCE_LENGTH = 64;

    /** Side of the square PP-OCRv3 det inputs (a multiple of 32, as the detector needs). */
    public static final int OCR_DET_SIZE = 320;

    /** Rows of {@code calib} in {@code mnist.npz} and {@code fashion.npz}. */
    public static final int DIGITS_CALIBRATION_MAX = 256;

    /** Sentences per MiniLM set. */
    public static final int MINILM_SENTENCES = 256;

    /** Part of every cache file name; bump it whenever preprocessing changes, so stale files are not reused. */
    private static final String VERSION = "v1";

    private ModelDatasets() {}

    /** {@code mnist_cnn.onnx}: the first {@code samples} (1–256) of {@code mnist.npz calib}, {@code (x/255-0.5)/0.5}. */
    public static Path mnistCnnCalibration(int samples) {
        checkDigitsSamples(samples);
        return DatasetCache.npz(
                name("mnist_cnn-calib-" + samples),
                () -> DatasetArrays.digitsCalibration(
                        RealModels.mnistCnn(), "mnist.npz", samples, DatasetArrays.CENTERED));
    }

    /** {@code mnist_cnn.onnx}: the 10 000 test digits, {@code (x/255-0.5)/0.5}, and {@link #LABELS}. */
    public static Path mnistCnnTest() {
        return DatasetCache.npz(
                name("mnist_cnn-test"),
                () -> DatasetArrays.digitsTest(RealModels.mnistCnn(), "mnist.npz", DatasetArrays.CENTERED));
    }

    /**
     * {@code mnist_extdata/mnist.onnx} (input {@code input} f32[N,1,28,28], trained with {@code Normalize(0.5,
     * 0.5)}): as {@link #mnistCnnCalibration}.
     */
    public static Path mnistExternalDataCalibration(int samples) {
        checkDigitsSamples(samples);
        return DatasetCache.npz(
                name("mnist_extdata-calib-" + samples),
                () -> DatasetArrays.digitsCalibration(
                        RealModels.mnistExternalData(), "mnist.npz", samples, DatasetArrays.CENTERED));
    }

    /** {@code mnist_extdata/mnist.onnx}: as {@link #mnistCnnTest}. */
    public static Path mnistExternalDataTest() {
        return DatasetCache.npz(
                name("mnist_extdata-test"),
                () -> DatasetArrays.digitsTest(RealModels.mnistExternalData(), "mnist.npz", DatasetArrays.CENTERED));
    }

    /** {@code fashion_mnist.onnx}: the first {@code samples} (1–256) of {@code fashion.npz calib}, {@code x/255}. */
    public static Path fashionCalibration(int samples) {
        checkDigitsSamples(samples);
        return DatasetCache.npz(
                name("fashion-calib-" + samples),
                () -> DatasetArrays.digitsCalibration(
                        RealModels.fashionMnist(), "fashion.npz", samples, DatasetArrays.UNIT));
    }

    /** {@code fashion_mnist.onnx}: the 10 000 test images, {@code x/255}, and {@link #LABELS}. */
    public static Path fashionTest() {
        return DatasetCache.npz(
                name("fashion-test"),
                () -> DatasetArrays.digitsTest(RealModels.fashionMnist(), "fashion.npz", DatasetArrays.UNIT));
    }

    private static void checkDigitsSamples(int samples) {
        if (samples < 1 || samples > DIGITS_CALIBRATION_MAX) {
            throw new IllegalArgumentException(
                    "calibration samples must be 1.." + DIGITS_CALIBRATION_MAX + ", got " + samples);
        }
    }

    /** PP-OCRv3 rec: {@code ocr.npz rec_calib} as f32[64,3,48,320], {@code (x/255-0.5)/0.5}. */
    public static Path ocrRecCalibration() {
        return DatasetCache.npz(
                name("ocr_rec-calib"), () -> DatasetArrays.ocr(RealModels.ocrRecognizer(), "rec_calib", null));
    }

    /** PP-OCRv3 rec: {@code ocr.npz rec_test} as f32[200,3,48,320]; the expected lines are {@link #ocrRecTestLabels}. */
    public static Path ocrRecTest() {
        return DatasetCache.npz(
                name("ocr_rec-test"), () -> DatasetArrays.ocr(RealModels.ocrRecognizer(), "rec_test", null));
    }

    /** The 200 expected lines of {@code rec_test}, in sample order. */
    public static List<String> ocrRecTestLabels() {
        Path file = SharedFixtures.shared("data/ocr_rec_labels.txt");
        try {
            return List.copyOf(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    /** Greedy CTC decoder for PP-OCRv3 rec over {@code ppocr_keys_v1.txt} (blank 0, keys 1..6623, space 6624). */
    public static CtcGreedyDecoder ocrRecDecoder() {
        return CtcGreedyDecoder.fromKeys(SharedFixtures.shared("data/ppocr_keys_v1.txt"));
    }

    /** PP-OCR cls: {@code ocr.npz cls_calib} as f32[128,3,48,192], {@code (x/255-0.5)/0.5}. */
    public static Path ocrClsCalibration() {
        return DatasetCache.npz(
                name("ocr_cls-calib"), () -> DatasetArrays.ocr(RealModels.ocrClassifier(), "cls_calib", null));
    }

    /** PP-OCR cls: {@code cls_test} as f32[400,3,48,192] and {@link #LABELS} (0 upright, 1 rotated 180°). */
    public static Path ocrClsTest() {
        return DatasetCache.npz(
                name("ocr_cls-test"),
                () -> DatasetArrays.ocr(RealModels.ocrClassifier(), "cls_test", "cls_test_labels"));
    }

    /**
     * PP-OCRv3 det: every image of {@link #imageFiles()} resized (bilinear) to 320×320 and normalised as PaddleOCR's
     * det preprocessing does: OpenCV's BGR order, {@code (x/255 - mean)/std} with the ImageNet mean {@code [0.485,
     * 0.456, 0.406]} and std {@code [0.229, 0.224, 0.225]} applied to planes 0, 1, 2 (B, G, R); f32[images,3,320,320].
     */
    public static Path ocrDetCalibration() {
        return DatasetCache.npz(
                name("ocr_det-calib-" + OCR_DET_SIZE), () -> DatasetArrays.ocrDet(imageFiles(), OCR_DET_SIZE));
    }

    /**
     * YOLOX-nano: every image of {@link #imageFiles()}, one sample each, as YOLOX's {@code preproc}: scaled by
     * {@code r = min(416/h, 416/w)} (bilinear), pasted at the top-left of a 416×416 canvas of grey 114, BGR,
     * values 0–255; f32[images,3,416,416].
     */
    public static Path yoloxCalibration() {
        return DatasetCache.npz(name("yolox_nano-images"), () -> DatasetArrays.yolox(imageFiles()));
    }

    /**
     * UltraFace RFB-320: every image of {@link #imageFiles()}, one sample each, resized (bilinear) to 320×240, RGB,
     * {@code (x-127)/128}; f32[images,3,240,320].
     */
    public static Path ultrafaceCalibration() {
        return DatasetCache.npz(name("ultraface-images"), () -> DatasetArrays.ultraface(imageFiles()));
    }

    /** The photos of {@code data/images} ({@code .jpg}, {@code .png}), sorted by file name. */
    public static List<Path> imageFiles() {
        Path dir = SharedFixtures.shared("data/images");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> {
                        String n = f.getFileName().toString();
                        return n.endsWith(".jpg") || n.endsWith(".png");
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + dir, e);
        }
    }

    /**
     * all-MiniLM-L6-v2: sentences 1–256 of {@code sentences.txt} tokenised by {@link BertTokenizer} into {@code
     * input_ids}, {@code attention_mask}, {@code token_type_ids}, each int64[256, {@value #MINILM_SEQUENCE_LENGTH}].
     */
    public static Path miniLmCalibration() {
        return DatasetCache.npz(
                name("minilm-calib-" + MINILM_SEQUENCE_LENGTH),
                () -> DatasetArrays.miniLm(sentences(0, MINILM_SENTENCES), MINILM_SEQUENCE_LENGTH));
    }

    /** all-MiniLM-L6-v2: sentences 257–512, as {@link #miniLmCalibration()}. */
    public static Path miniLmEvaluation() {
        return DatasetCache.npz(
                name("minilm-eval-" + MINILM_SEQUENCE_LENGTH),
                () -> DatasetArrays.miniLm(sentences(MINILM_SENTENCES, MINILM_SENTENCES), MINILM_SEQUENCE_LENGTH));
    }

    /** Lines {@code skip+1 .. skip+count} (1-based) of {@code sentences.txt}. */
    public static List<String> sentences(int skip, int count) {
        Path file = SharedFixtures.shared("data/sentences.txt");
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            List<String> out = lines.skip(skip).limit(count).toList();
            if (out.size() != count) {
                throw new IllegalStateException(
                        file + " holds " + (skip + out.size()) + " lines, fewer than " + (skip + count));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    /** The {@link #LABELS} array of an evaluation set. */
    public static long[] labels(Path evaluationSet) {
        try (NpzArchive archive = NpzArchive.open(evaluationSet)) {
            return archive.read(LABELS).toLongs();
        }
    }

    private static String name(String stem) {
        return stem + "-" + VERSION + ".npz";
    }
}
