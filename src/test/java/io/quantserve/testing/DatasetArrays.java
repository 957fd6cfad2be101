package io.quantserve.testing;

import io.quantserve.engine.runtime.ValueSpec;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.ImageTensors.ChannelOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.function.DoubleUnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Builds the arrays of the {@link ModelDatasets} files from the shared raw data. Separate from the caching so a test
 * can rebuild a file's content and compare it with the cached bytes.
 */
final class DatasetArrays {
    /** MNIST and Fashion-MNIST: {@code (x/255-0.5)/0.5}. */
    static final DoubleUnaryOperator CENTERED = x -> (x / 255.0 - 0.5) / 0.5;
    /** Fashion-MNIST: {@code x/255}. */
    static final DoubleUnaryOperator UNIT = x -> x / 255.0;

    private static final double[] IMAGENET_MEAN = {0.485, 0.456, 0.406};
    private static final double[] IMAGENET_STD = {0.229, 0.224, 0.225};
    private static final int YOLOX_SIZE = 416;
    private static final int YOLOX_PAD = 0x727272;
    private static final List<String> BERT_INPUTS = List.of("input_ids", "attention_mask", "token_type_ids");

    private DatasetArrays() {}

    /** The first {@code samples} rows of {@code <npz> calib} (u8[·,28,28]) as f32[samples,1,28,28]. */
    static SequencedMap<String, Tensor> digitsCalibration(
            Path model, String npz, int samples, DoubleUnaryOperator preprocessing) {
        Tensor raw = SharedArrays.read(npz, "calib").slice0(0, samples);
        return single(
                RealModels.singleInputName(model),
                SharedArrays.toFloat(raw, new long[] {samples, 1, 28, 28}, preprocessing));
    }

    /** {@code <npz> test} as f32[N,1,28,28] plus {@code test_labels} as int64 {@link ModelDatasets#LABELS}. */
    static SequencedMap<String, Tensor> digitsTest(Path model, String npz, DoubleUnaryOperator preprocessing) {
        Tensor raw = SharedArrays.read(npz, "test");
        SequencedMap<String, Tensor> arrays = single(
                RealModels.singleInputName(model),
                SharedArrays.toFloat(raw, new long[] {raw.dim(0), 1, 28, 28}, preprocessing));
        arrays.put(ModelDatasets.LABELS, SharedArrays.toInt64(SharedArrays.read(npz, "test_labels")));
        return arrays;
    }

    /**
     * {@code ocr.npz <key>} (u8[N,3,48,W]) as f32 {@code (x/255-0.5)/0.5}, plus {@code labelsKey} as {@link
     * ModelDatasets#LABELS} when not null.
     */
    static SequencedMap<String, Tensor> ocr(Path model, String key, @Nullable String labelsKey) {
        Tensor raw = SharedArrays.read("ocr.npz", key);
        SequencedMap<String, Tensor> arrays =
                single(RealModels.singleInputName(model), SharedArrays.toFloat(raw, raw.shape(), CENTERED));
        if (labelsKey != null) {
            arrays.put(ModelDatasets.LABELS, SharedArrays.toInt64(SharedArrays.read("ocr.npz", labelsKey)));
        }
        return arrays;
    }

    /** PaddleOCR det: resized to {@code size}², BGR planes, {@code (x/255-mean)/std} with ImageNet statistics. */
    static SequencedMap<String, Tensor> ocrDet(List<Path> images, int size) {
        List<RgbImage> resized =
                images.stream().map(f -> RgbImage.read(f).resize(size, size)).toList();
        Tensor x = ImageTensors.nchw(resized, ChannelOrder.BGR, (plane, v) ->
                (float) ((v / 255.0 - IMAGENET_MEAN[plane]) / IMAGENET_STD[plane]));
        return single(RealModels.singleInputName(RealModels.ocrDetector()), x);
    }

    /** YOLOX {@code preproc}: top-left letterbox into 416², pad 114, BGR, 0–255. */
    static SequencedMap<String, Tensor> yolox(List<Path> images) {
        List<RgbImage> boxed = images.stream()
                .map(f -> letterbox(RgbImage.read(f), YOLOX_SIZE))
                .toList();
        Tensor x = ImageTensors.nchw(boxed, ChannelOrder.BGR, (plane, v) -> v);
        return single(RealModels.singleInputName(RealModels.yoloxNano()), x);
    }

    /**
     * Scales {@code image} by {@code min(size/h, size/w)} to {@code (int)(w·r) × (int)(h·r)} and pastes it at the
     * top-left of a {@code size}² canvas of grey 114, as YOLOX's {@code preproc} does.
     */
    static RgbImage letterbox(RgbImage image, int size) {
        double r = Math.min((double) size / image.height(), (double) size / image.width());
        int w = Math.max(1, (int) (image.width() * r));
        int h = Math.max(1, (int) (image.height() * r));
        return image.resize(w, h).padTopLeft(size, size, YOLOX_PAD);
    }

    /** UltraFace: resized to 320×240, RGB, {@code (x-127)/128}. */
    static SequencedMap<String, Tensor> ultraface(List<Path> images) {
        List<RgbImage> resized =
                images.stream().map(f -> RgbImage.read(f).resize(320, 240)).toList();
        Tensor x = ImageTensors.nchw(resized, ChannelOrder.RGB, (plane, v) -> (v - 127f) / 128f);
        return single(RealModels.singleInputName(RealModels.ultraface()), x);
    }

    /**
     * {@code sentences} tokenised for all-MiniLM-L6-v2 into {@code length} tokens each.
     *
     * @throws IllegalStateException when a sentence does not fit or the model's inputs are not the three BERT ones
     */
    static SequencedMap<String, Tensor> miniLm(List<String> sentences, int length) {
        BertTokenizer tokenizer = BertTokenizer.fromTokenizerJson(RealModels.miniLmTokenizer());
        BertTokenizer.BertBatch batch = tokenizer.encodeBatch(sentences, length);
        if (batch.truncatedRows() > 0) {
            throw new IllegalStateException(batch.truncatedRows() + " sentences do not fit " + length + " tokens");
        }
        List<String> inputs = RealModels.inputs(RealModels.miniLm()).stream()
                .map(ValueSpec::name)
                .toList();
        if (!inputs.equals(BERT_INPUTS)) {
            throw new IllegalStateException("all-MiniLM-L6-v2 takes " + inputs + ", expected " + BERT_INPUTS);
        }
        SequencedMap<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("input_ids", batch.inputIds());
        arrays.put("attention_mask", batch.attentionMask());
        arrays.put("token_type_ids", batch.tokenTypeIds());
        return arrays;
    }

    private static SequencedMap<String, Tensor> single(String key, Tensor value) {
        SequencedMap<String, Tensor> out = new LinkedHashMap<>();
        out.put(key, value);
        return out;
    }
}
