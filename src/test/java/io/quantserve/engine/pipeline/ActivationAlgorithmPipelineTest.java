package io.quantserve.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.calibration.data.NpzWriter;
import io.quantserve.engine.config.ActivationAlgorithm;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.config.LayerOverride;
import io.quantserve.engine.config.QuantConfigs;
import io.quantserve.engine.export.LayerRecord;
import io.quantserve.engine.export.RecordFile;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.SampleModels;
import io.quantserve.testing.TinyModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/** Every {@code act_algo} through the whole pipeline on the tiny all-layer-kinds model. */
class ActivationAlgorithmPipelineTest {
    @TempDir
    Path tmp;

    private Path model;
    private Path data;

    @BeforeEach
    void fixtures() {
        model = tmp.resolve("tiny.onnx");
        ModelIo.save(SampleModels.allLayerKinds(), model);
        data = tmp.resolve("calib.npz");
        var arrays = new LinkedHashMap<String, Tensor>();
        arrays.put("x", TinyModel.random(42, -1f, 1f, 16, 2, 6, 6));
        NpzWriter.write(data, arrays, false);
    }

    static Stream<Arguments> algorithms() {
        return Stream.of(
                Arguments.of(ActivationAlgorithm.amctDefault(), true),
                Arguments.of(ActivationAlgorithm.amctDefault(), false),
                Arguments.of(ActivationAlgorithm.Hfmg.DEFAULT, true),
                Arguments.of(ActivationAlgorithm.Hfmg.DEFAULT, false),
                Arguments.of(new ActivationAlgorithm.MinMax(), true),
                Arguments.of(ActivationAlgorithm.Percentile.DEFAULT, false),
                Arguments.of(ActivationAlgorithm.Kl.DEFAULT, true));
    }

    private QuantizeResult quantize(ConfigOptions options, Path out) {
        return QuantizationPipeline.quantize(
                new QuantizeRequest(model, data, null, options, 4, 4, out, 2), ProgressListener.NONE);
    }

    private static String recordedAlgorithm(Path out) throws Exception {
        return JsonMapper.builder()
                .build()
                .readTree(Files.readString(out.resolve("manifest.json")))
                .get("options")
                .get("activationAlgorithm")
                .asString();
    }

    @ParameterizedTest(name = "{0} activation_offset {1}")
    @MethodSource("algorithms")
    void eachAlgorithmQuantizesVerifiesAndIsRecorded(ActivationAlgorithm algorithm, boolean offset) throws Exception {
        Path out = tmp.resolve("out");
        QuantizeResult r = quantize(
                ConfigOptions.builder()
                        .defaultAlgorithm(algorithm)
                        .activationOffset(offset)
                        .build(),
                out);
        String name = algorithm.algo().jsonName();
        assertThat(r.quantizedLayers()).containsExactly("conv", "deconv", "pool", "fc", "proj");
        assertThat(r.parity()).isNotNull();
        assertThat(r.parity().passed()).isTrue();
        assertThat(r.notes()).contains("activation ranges: " + name + " over 4 batch(es)");
        assertThat(recordedAlgorithm(out)).isEqualTo(name);
        assertThat(QuantConfigs.read(out.resolve("quant_config.json"))
                        .layer("conv")
                        .orElseThrow()
                        .activation()
                        .algorithm())
                .isEqualTo(algorithm);
        Map<String, LayerRecord> record = RecordFile.read(out.resolve("record.txt"));
        assertThat(record).containsOnlyKeys("conv", "deconv", "pool", "fc", "proj");
        record.values().forEach(l -> assertThat(l.scaleD()).isPositive().isFinite());
        if (!offset) record.values().forEach(l -> assertThat(l.offsetD()).isZero());
    }

    @Test
    void algorithmsGiveTheirOwnFactors() {
        // The network input is uniform on [−1, 1): MinMax gives 1/127 for it, a 0.9 percentile about 0.9/127.
        QuantizeResult minmax = quantize(
                ConfigOptions.builder()
                        .defaultAlgorithm(new ActivationAlgorithm.MinMax())
                        .activationOffset(false)
                        .build(),
                tmp.resolve("minmax"));
        QuantizeResult percentile = quantize(
                ConfigOptions.builder()
                        .defaultAlgorithm(new ActivationAlgorithm.Percentile(0.9))
                        .activationOffset(false)
                        .build(),
                tmp.resolve("percentile"));
        float minmaxScale = RecordFile.read(minmax.outDir().resolve("record.txt"))
                .get("conv")
                .scaleD();
        float percentileScale = RecordFile.read(percentile.outDir().resolve("record.txt"))
                .get("conv")
                .scaleD();
        assertThat(minmaxScale).isCloseTo(1f / 127, org.assertj.core.data.Percentage.withPercentage(0.5));
        assertThat(percentileScale).isCloseTo(0.9f / 127, org.assertj.core.data.Percentage.withPercentage(2));
    }

    @Test
    void perLayerOverridesMixAlgorithms() throws Exception {
        Path out = tmp.resolve("mixed");
        QuantizeResult r = quantize(
                ConfigOptions.builder()
                        .override("fc", LayerOverride.none().withAlgorithm(ActivationAlgorithm.Hfmg.DEFAULT))
                        .override("proj", LayerOverride.none().withAlgorithm(new ActivationAlgorithm.MinMax()))
                        .build(),
                out);
        assertThat(r.notes()).contains("activation ranges: mixed: hfmg (1), ifmr (3), minmax (1) over 4 batch(es)");
        assertThat(recordedAlgorithm(out)).isEqualTo("mixed: hfmg (1), ifmr (3), minmax (1)");
    }
}
