package io.quantserve.testing;

import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.runtime.ValueSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * The real trained models of the integration tests. Models under {@code ../shared/models} skip the calling test
 * when absent ({@link SharedFixtures#shared}); the OCR and MiniLM models come from test-scope jars and are always
 * present.
 */
public final class RealModels {
    private RealModels() {}

    /** MNIST CNN, opset 11: input f32[N,1,28,28], logits [N,10]. */
    public static Path mnistCnn() {
        return SharedFixtures.shared("models/mnist_cnn.onnx");
    }

    /** Small MNIST CNN whose weights live in {@code mnist.onnx.data} next to it (opset 20). */
    public static Path mnistExternalData() {
        return SharedFixtures.shared("models/mnist_extdata/mnist.onnx");
    }

    /** Fashion-MNIST CNN, opset 10: output 0 log-softmax [N,10], output 1 a 3200-d feature tensor. */
    public static Path fashionMnist() {
        return SharedFixtures.shared("models/fashion_mnist.onnx");
    }

    /** UltraFace RFB-320 face detector: input f32[1,3,240,320]; outputs scores [1,4420,2], boxes [1,4420,4]. */
    public static Path ultraface() {
        return SharedFixtures.shared("models/ultraface_rfb320.onnx");
    }

    /** YOLOX-nano COCO detector: input {@code images} f32[1,3,416,416]; output [1,3549,85]. */
    public static Path yoloxNano() {
        return SharedFixtures.shared("models/yolox_nano.onnx");
    }

    /** PP-OCRv3 text recogniser: input {@code x} f32[N,3,48,W]; output CTC probabilities [N,W/8,6625]. */
    public static Path ocrRecognizer() {
        return SharedFixtures.classpathModel("models/ch_PP-OCRv3_rec_infer.onnx");
    }

    /** PP-OCR text-direction classifier: input {@code x} f32[N,3,48,192]; output probabilities [N,2]. */
    public static Path ocrClassifier() {
        return SharedFixtures.classpathModel("models/ch_ppocr_mobile_v2.0_cls_infer.onnx");
    }

    /** PP-OCRv3 text detector: input {@code x} f32[N,3,H,W] (multiples of 32); output a text map [N,1,H,W]. */
    public static Path ocrDetector() {
        return SharedFixtures.classpathModel("models/ch_PP-OCRv3_det_infer.onnx");
    }

    /** all-MiniLM-L6-v2 sentence encoder: int64 inputs [N,S]; output 0 last_hidden_state [N,S,384]. */
    public static Path miniLm() {
        return SharedFixtures.classpathModel("all-minilm-l6-v2.onnx");
    }

    /** The tokenizer JSON (HuggingFace {@code tokenizers} format) that goes with {@link #miniLm()}. */
    public static Path miniLmTokenizer() {
        return SharedFixtures.classpathModel("all-minilm-l6-v2-tokenizer.json");
    }

    /** The model's inputs as ONNX Runtime reports them, in model order. */
    public static List<ValueSpec> inputs(Path model) {
        try (InferenceSession session = InferenceSession.open(model, SessionSettings.unoptimized())) {
            return session.inputs();
        }
    }

    /** Name of the model's only input. */
    public static String singleInputName(Path model) {
        List<ValueSpec> inputs = inputs(model);
        if (inputs.size() != 1) {
            throw new IllegalStateException(model + " has " + inputs.size() + " inputs, expected one: " + inputs);
        }
        return inputs.getFirst().name();
    }
}
