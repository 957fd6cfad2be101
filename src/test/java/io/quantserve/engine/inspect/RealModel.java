package io.quantserve.engine.inspect;

import io.quantserve.testing.SharedFixtures;
import java.nio.file.Path;

/** The real trained models the tests inspect: shared fixtures (skipped when absent) and models from test jars. */
enum RealModel {
    MNIST_CNN("models/mnist_cnn.onnx", false),
    MNIST_EXTERNAL_DATA("models/mnist_extdata/mnist.onnx", false),
    FASHION_MNIST("models/fashion_mnist.onnx", false),
    ULTRAFACE("models/ultraface_rfb320.onnx", false),
    YOLOX_NANO("models/yolox_nano.onnx", false),
    PP_OCR_V3_REC("models/ch_PP-OCRv3_rec_infer.onnx", true),
    PP_OCR_V3_DET("models/ch_PP-OCRv3_det_infer.onnx", true),
    PP_OCR_CLS("models/ch_ppocr_mobile_v2.0_cls_infer.onnx", true),
    MINILM("all-minilm-l6-v2.onnx", true);

    private final String resource;
    private final boolean onClasspath;

    RealModel(String resource, boolean onClasspath) {
        this.resource = resource;
        this.onClasspath = onClasspath;
    }

    /** The model file; a shared fixture that is missing skips the calling test. */
    Path file() {
        return onClasspath ? SharedFixtures.classpathModel(resource) : SharedFixtures.shared(resource);
    }
}
