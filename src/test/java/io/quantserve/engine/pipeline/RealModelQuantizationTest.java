package io.quantserve.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.testing.Evaluations;
import io.quantserve.testing.ModelDatasets;
import io.quantserve.testing.RealModels;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real model of the project's fixtures goes through the whole pipeline: quantize succeeds, every layer the
 * inspector calls quantizable is quantized, the fake-quant and INT8 models run in ONNX Runtime (the pipeline's own
 * verification replays a calibration batch through them) and the deploy model's integer reference matches the
 * fake-quant model within {@link ArtefactWriter#PARITY_TOLERANCE}.
 */
class RealModelQuantizationTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of(
                        "mnist_cnn",
                        (Supplier<Path>) RealModels::mnistCnn,
                        (Supplier<Path>) () -> ModelDatasets.mnistCnnCalibration(64),
                        32,
                        2,
                        4),
                Arguments.of(
                        "mnist_extdata",
                        (Supplier<Path>) RealModels::mnistExternalData,
                        (Supplier<Path>) () -> ModelDatasets.mnistExternalDataCalibration(64),
                        32,
                        2,
                        2),
                Arguments.of(
                        "fashion_mnist",
                        (Supplier<Path>) RealModels::fashionMnist,
                        (Supplier<Path>) () -> ModelDatasets.fashionCalibration(64),
                        32,
                        2,
                        5),
                Arguments.of(
                        "ultraface",
                        (Supplier<Path>) RealModels::ultraface,
                        (Supplier<Path>) ModelDatasets::ultrafaceCalibration,
                        1,
                        2,
                        52),
                Arguments.of(
                        "yolox_nano",
                        (Supplier<Path>) RealModels::yoloxNano,
                        (Supplier<Path>) ModelDatasets::yoloxCalibration,
                        1,
                        2,
                        113),
                Arguments.of(
                        "ppocr_rec",
                        (Supplier<Path>) RealModels::ocrRecognizer,
                        (Supplier<Path>) ModelDatasets::ocrRecCalibration,
                        16,
                        2,
                        46),
                Arguments.of(
                        "ppocr_cls",
                        (Supplier<Path>) RealModels::ocrClassifier,
                        (Supplier<Path>) ModelDatasets::ocrClsCalibration,
                        32,
                        2,
                        54),
                Arguments.of(
                        "ppocr_det",
                        (Supplier<Path>) RealModels::ocrDetector,
                        (Supplier<Path>) ModelDatasets::ocrDetCalibration,
                        2,
                        2,
                        74),
                Arguments.of(
                        "minilm",
                        (Supplier<Path>) RealModels::miniLm,
                        (Supplier<Path>) ModelDatasets::miniLmCalibration,
                        32,
                        2,
                        36));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void quantizesVerifiesAndPublishes(
            String name, Supplier<Path> model, Supplier<Path> data, int batchSize, int batchNum, int layers) {
        Path out = tmp.resolve(name);
        QuantizeResult r = QuantizationPipeline.quantize(
                new QuantizeRequest(
                        model.get(), data.get(), null, ConfigOptions.defaults(), batchSize, batchNum, out, 1),
                ProgressListener.NONE);
        assertThat(r.quantizedLayers()).hasSize(layers);
        assertThat(r.parity()).isNotNull();
        assertThat(r.parity().passed())
                .as("deploy parity, max diff %s", r.parity().maxAbsDiff())
                .isTrue();
        for (String a : r.artefacts()) assertThat(out.resolve(a)).isRegularFile();
        System.out.printf(
                "%s: %d layers quantized; %s%n", name, r.quantizedLayers().size(), r.notes());
    }

    @Test
    void onnxRuntimesOwnDynamicInt8MiniLmIsRefusedAsAlreadyQuantized() {
        Path quantized = io.quantserve.testing.SharedFixtures.classpathModel("all-minilm-l6-v2-q.onnx");
        Path out = tmp.resolve("q");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> QuantizationPipeline.quantize(
                        new QuantizeRequest(
                                quantized,
                                ModelDatasets.miniLmCalibration(),
                                null,
                                ConfigOptions.defaults(),
                                32,
                                1,
                                out,
                                1),
                        ProgressListener.NONE))
                .isInstanceOf(io.quantserve.engine.InvalidModelException.class)
                .hasMessageContaining("already quantized");
        assertThat(out).doesNotExist();
    }

    @Test
    void mnistFakeQuantAndInt8KeepAccuracy() {
        Path out = tmp.resolve("mnist");
        QuantizeResult r = QuantizationPipeline.quantize(
                new QuantizeRequest(
                        RealModels.mnistCnn(),
                        ModelDatasets.mnistCnnCalibration(256),
                        null,
                        ConfigOptions.defaults(),
                        32,
                        8,
                        out,
                        1),
                ProgressListener.NONE);
        double fake =
                Evaluations.top1(out.resolve("mnist_cnn_fake_quant_model.onnx"), ModelDatasets.mnistCnnTest(), 1000);
        double int8 = Evaluations.top1(out.resolve("mnist_cnn_int8_model.onnx"), ModelDatasets.mnistCnnTest(), 1000);
        System.out.printf("MNIST top-1: fake_quant %.4f, int8 %.4f (fp32 0.9877)%n", fake, int8);
        assertThat(r.notes()).contains("activation ranges: ifmr over 8 batch(es)");
        assertThat(fake).as("fake_quant top-1 on the 10000 test images (IFMR)").isGreaterThanOrEqualTo(0.986);
        assertThat(int8).as("INT8 model top-1 (IFMR)").isGreaterThanOrEqualTo(0.986);
        assertThat(r.quantizedLayers()).hasSize(4);
    }
}
