package io.quantserve.engine.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.calibration.data.NpzWriter;
import io.quantserve.engine.config.ActivationAlgorithm;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.config.QuantConfigs;
import io.quantserve.engine.export.RecordFile;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.pipeline.QuantizationPipeline;
import io.quantserve.engine.pipeline.QuantizeRequest;
import io.quantserve.engine.pipeline.QuantizeResult;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.ModelRunner;
import io.quantserve.testing.TinyGraphs;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code act_algo: auto} on a one-convolution model, where the whole fake-quant model's output error is the layer's
 * own: the choice must be the candidate whose fake-quant model is the most accurate on the measured batches.
 */
class AutoRangeSelectionTest {
    private static final int BATCH = 4;
    private static final int BATCHES = 8;
    /** Batches the verification replays. */
    private static final int PARITY_BATCHES = 2;
    /** Batches {@code auto} measures on: enough for its minimum number of samples. */
    private static final int MEASURED_BATCHES =
            Math.max(PARITY_BATCHES, (AutoRangeSelection.MEASURED_SAMPLES + BATCH - 1) / BATCH);

    @TempDir
    Path tmp;

    private Path model;
    private Path calibration;
    private Path measured;

    @BeforeEach
    void fixtures() {
        model = tmp.resolve("conv.onnx");
        ModelIo.save(
                TinyGraphs.graph()
                        .input("x", BATCH, 2, 6, 6)
                        .randomInit("w", 7, 3, 2, 3, 3)
                        .randomInit("b", 8, 3)
                        .node(
                                "Conv",
                                "conv",
                                List.of("x", "w", "b"),
                                List.of("y"),
                                Attributes.ofInts("pads", 1, 1, 1, 1))
                        .output("y")
                        .build(),
                model);
        // Mostly uniform on [-1, 1) with a few large outliers: the range methods disagree on where to clip.
        float[] x = TinyGraphs.values(BATCH * BATCHES * 72, 11, -1f, 1f);
        for (int i = 0; i < x.length; i += 331) x[i] = 12f + (i % 7);
        calibration = tmp.resolve("calib.npz");
        NpzWriter.write(
                calibration,
                new java.util.TreeMap<>(Map.of("x", Tensor.ofFloats(new long[] {BATCH * BATCHES, 2, 6, 6}, x))),
                false);
        measured = tmp.resolve("measured.npz");
        int n = BATCH * MEASURED_BATCHES;
        float[] first = java.util.Arrays.copyOf(x, n * 72);
        NpzWriter.write(
                measured, new java.util.TreeMap<>(Map.of("x", Tensor.ofFloats(new long[] {n, 2, 6, 6}, first))), false);
    }

    private QuantizeResult quantize(ActivationAlgorithm algorithm, String dir) {
        return QuantizationPipeline.quantize(
                new QuantizeRequest(
                        model,
                        calibration,
                        null,
                        ConfigOptions.builder().defaultAlgorithm(algorithm).build(),
                        BATCH,
                        BATCHES,
                        tmp.resolve(dir),
                        PARITY_BATCHES),
                ProgressListener.NONE);
    }

    /** Sum of squared differences between the fake-quant model's output and the float model's on the measured batches. */
    private double fakeQuantError(QuantizeResult r) {
        float[] reference = ModelRunner.output(model, measured, BATCH, 0).toFloats();
        float[] quantized = ModelRunner.output(r.outDir().resolve("conv_fake_quant_model.onnx"), measured, BATCH, 0)
                .toFloats();
        double sum = 0;
        for (int i = 0; i < reference.length; i++) {
            double d = (double) quantized[i] - reference[i];
            sum += d * d;
        }
        return sum;
    }

    @Test
    void autoKeepsTheCandidateWithTheSmallestLayerOutputError() {
        Map<String, Double> errors = new LinkedHashMap<>();
        for (ActivationAlgorithm c : ActivationAlgorithm.Auto.CANDIDATES) {
            errors.put(AutoRangeSelection.label(c), fakeQuantError(quantize(c, "fixed_" + errors.size())));
        }
        double best =
                errors.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double worst =
                errors.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        // The fixture must make the choice matter, or the test below could not fail.
        assertThat(worst).as("candidate errors %s", errors).isGreaterThan(1.25 * best);

        QuantizeResult auto = quantize(new ActivationAlgorithm.Auto(), "auto");

        // Same statistics, same batches: auto's model is exactly as good as the best fixed choice (float32 sums in
        // two runtimes: 1e-4 relative).
        assertThat(fakeQuantError(auto))
                .as("candidate errors %s", errors)
                .isCloseTo(best, org.assertj.core.data.Percentage.withPercentage(0.01));
        String winner = errors.entrySet().stream()
                .filter(e -> e.getValue() == best)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
        assertThat(auto.notes())
                .anySatisfy(n -> assertThat(n)
                        .startsWith("act_algo auto chose per layer by output error alone: " + winner + " 1"));
        assertThat(QuantConfigs.read(auto.outDir().resolve("quant_config.json"))
                        .layer("conv")
                        .orElseThrow()
                        .activation()
                        .algorithm())
                .isEqualTo(new ActivationAlgorithm.Auto());
        assertThat(auto.parity()).isNotNull();
        assertThat(auto.parity().passed()).isTrue();
    }

    @Test
    void autoRangeIsReproducibleFromTheRecordAndTheStatistics() {
        QuantizeResult auto = quantize(new ActivationAlgorithm.Auto(), "auto");
        QuantizeResult again = QuantizationPipeline.quantize(
                QuantizeRequest.fromStatistics(
                        model,
                        auto.outDir().resolve("statistics.bin"),
                        calibration,
                        auto.outDir().resolve("quant_config.json"),
                        ConfigOptions.defaults(),
                        BATCH,
                        tmp.resolve("again"),
                        PARITY_BATCHES),
                ProgressListener.NONE);
        var first = RecordFile.read(auto.outDir().resolve("record.txt")).get("conv");
        var second = RecordFile.read(again.outDir().resolve("record.txt")).get("conv");
        assertThat(second.scaleD()).isEqualTo(first.scaleD());
        assertThat(second.offsetD()).isEqualTo(first.offsetD());
        assertThat(second.scaleW()).containsExactly(first.scaleW());
    }

    @Test
    void autoWithoutBatchesToMeasureOnIsRefused() {
        QuantizeResult auto = quantize(new ActivationAlgorithm.Auto(), "auto");
        assertThatThrownBy(() -> QuantizationPipeline.quantize(
                        QuantizeRequest.fromStatistics(
                                model,
                                auto.outDir().resolve("statistics.bin"),
                                null,
                                auto.outDir().resolve("quant_config.json"),
                                ConfigOptions.defaults(),
                                BATCH,
                                tmp.resolve("nodata"),
                                PARITY_BATCHES),
                        ProgressListener.NONE))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("act_algo 'auto' (layers [conv])")
                .hasMessageContaining("--data");
        assertThat(tmp.resolve("nodata")).doesNotExist();
    }
}
