package io.quantserve.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.calibration.CalibrationStatistics;
import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.calibration.StatisticsFile;
import io.quantserve.engine.calibration.StatisticsProvenance.WeightSetting;
import io.quantserve.engine.calibration.StreamingHistogram;
import io.quantserve.engine.calibration.TensorStatistics;
import io.quantserve.engine.calibration.data.NpzWriter;
import io.quantserve.engine.config.ActivationAlgorithm;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.export.Manifest;
import io.quantserve.engine.export.RecordFile;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.SampleModels;
import io.quantserve.testing.TinyModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code quantize --from-stats} on the tiny all-layer-kinds model: what it reproduces, what it refuses. */
class StatisticsQuantizationTest {
    @TempDir
    Path tmp;

    private Path model;
    private Path data;

    private static final List<String> MODELS =
            List.of("tiny_fake_quant_model.onnx", "tiny_deploy_model.onnx", "tiny_int8_model.onnx");

    @BeforeEach
    void fixtures() {
        model = tmp.resolve("tiny.onnx");
        ModelIo.save(SampleModels.allLayerKinds(), model);
        data = npz("calib.npz", 1);
    }

    /** 16 seeded samples, each repeated {@code copies} times in a row. */
    private Path npz(String name, int copies) {
        float[] x = TinyModel.random(42, -1f, 1f, 16, 2, 6, 6).toFloats();
        float[] all = new float[x.length * copies];
        int sample = 2 * 6 * 6;
        for (int s = 0; s < 16; s++) {
            for (int c = 0; c < copies; c++) {
                System.arraycopy(x, s * sample, all, (s * copies + c) * sample, sample);
            }
        }
        var arrays = new LinkedHashMap<String, Tensor>();
        arrays.put("x", Tensor.ofFloats(new long[] {16L * copies, 2, 6, 6}, all));
        Path file = tmp.resolve(name);
        NpzWriter.write(file, arrays, false);
        return file;
    }

    private QuantizeResult calibrate(ConfigOptions options, String out) {
        return QuantizationPipeline.quantize(
                new QuantizeRequest(model, data, null, options, 4, 4, tmp.resolve(out), 2), ProgressListener.NONE);
    }

    private QuantizeResult fromStatistics(Path statistics, Path verificationData, ConfigOptions options, String out) {
        return QuantizationPipeline.quantize(
                QuantizeRequest.fromStatistics(
                        model, statistics, verificationData, null, options, 4, tmp.resolve(out), 2),
                ProgressListener.NONE);
    }

    private static ConfigOptions algorithm(ActivationAlgorithm a) {
        return ConfigOptions.builder().defaultAlgorithm(a).build();
    }

    @Test
    void everyRunPublishesItsStatisticsInTheManifest() throws Exception {
        QuantizeResult r = calibrate(ConfigOptions.defaults(), "out");
        Path file = r.outDir().resolve(StatisticsFile.FILE_NAME);
        assertThat(r.artefacts()).contains(StatisticsFile.FILE_NAME);
        JsonNode manifest = JsonMapper.builder()
                .build()
                .readTree(Files.readString(r.outDir().resolve("manifest.json")));
        assertThat(manifest.get("outputs")
                        .get(StatisticsFile.FILE_NAME)
                        .get("sha256")
                        .asString())
                .isEqualTo(Manifest.digest(file).sha256());

        CalibrationStatistics s = StatisticsFile.read(file);
        // conv reads x, deconv the ReLU output, pool the deconv output, fc the reshaped pool output, proj fc's.
        assertThat(s.tensors()).extracting(TensorStatistics::tensor).containsExactly("x", "r1", "d1", "f1", "g1");
        assertThat(s.tensor("x").orElseThrow().layers()).containsExactly("conv");
        // 4 batches of 4 samples of 2·6·6 values.
        assertThat(s.tensor("x").orElseThrow().histogram().count()).isEqualTo(4 * 4 * 72);
        assertThat(s.provenance().modelSha256())
                .isEqualTo(Manifest.digest(model).sha256());
        assertThat(s.provenance().dataSha256()).isEqualTo(Manifest.digest(data).sha256());
        assertThat(s.provenance().batchSize()).isEqualTo(4);
        assertThat(s.provenance().batchNum()).isEqualTo(4);
        assertThat(s.provenance().batches()).isEqualTo(4);
        assertThat(s.provenance().weights())
                .containsExactly(
                        new WeightSetting("conv", true, true),
                        new WeightSetting("deconv", true, true),
                        new WeightSetting("pool", true, false),
                        new WeightSetting("fc", true, false),
                        new WeightSetting("proj", true, false));
    }

    @Test
    void theSameConfigFromStatisticsGivesByteIdenticalArtefactsWithoutAForwardPass() throws Exception {
        QuantizeResult original = calibrate(ConfigOptions.defaults(), "original");
        Path statistics = original.outDir().resolve(StatisticsFile.FILE_NAME);
        List<String> stages = new ArrayList<>();
        AtomicInteger batches = new AtomicInteger();
        QuantizeResult again = QuantizationPipeline.quantize(
                QuantizeRequest.fromStatistics(
                        model, statistics, null, null, ConfigOptions.defaults(), 4, tmp.resolve("again"), 2),
                new ProgressListener() {
                    @Override
                    public void stage(String name) {
                        stages.add(name);
                    }

                    @Override
                    public void batch(int done, int total) {
                        batches.incrementAndGet();
                    }
                });

        assertThat(stages).doesNotContain("calibrate").contains("statistics");
        assertThat(batches).hasValue(0);
        for (String f : List.of("record.txt", "quant_config.json", StatisticsFile.FILE_NAME)) {
            assertThat(again.outDir().resolve(f))
                    .as(f)
                    .hasSameBinaryContentAs(original.outDir().resolve(f));
        }
        for (String f : MODELS) {
            assertThat(again.outDir().resolve(f))
                    .as(f)
                    .hasSameBinaryContentAs(original.outDir().resolve(f));
        }
        assertThat(again.quantizedLayers()).isEqualTo(original.quantizedLayers());
        assertThat(again.notes())
                .anySatisfy(n -> assertThat(n).startsWith("activation ranges: ifmr from statistics '" + statistics))
                .anySatisfy(n -> assertThat(n).contains("same weight quantization"));
        assertThat(again.parity()).as("no verification data given").isNull();
        JsonNode manifest = JsonMapper.builder()
                .build()
                .readTree(Files.readString(again.outDir().resolve("manifest.json")));
        assertThat(manifest.get("options").get("mode").asString()).isEqualTo("from-stats");
        assertThat(manifest.get("inputs").get("statistics").get("sha256").asString())
                .isEqualTo(Manifest.digest(statistics).sha256());
    }

    @Test
    void anotherAlgorithmFromStatisticsEqualsAFreshRunWithThatAlgorithm() {
        QuantizeResult ifmr = calibrate(ConfigOptions.defaults(), "ifmr");
        Path statistics = ifmr.outDir().resolve(StatisticsFile.FILE_NAME);
        for (ActivationAlgorithm a : List.of(
                ActivationAlgorithm.Hfmg.DEFAULT,
                new ActivationAlgorithm.MinMax(),
                new ActivationAlgorithm.Percentile(0.99),
                ActivationAlgorithm.Kl.DEFAULT)) {
            String name = a.algo().jsonName();
            QuantizeResult fresh = calibrate(algorithm(a), "fresh-" + name);
            assertThat(fresh.outDir().resolve(StatisticsFile.FILE_NAME))
                    .as("the statistics do not depend on the algorithm")
                    .hasSameBinaryContentAs(statistics);
            QuantizeResult reused = fromStatistics(statistics, data, algorithm(a), "reused-" + name);
            assertThat(RecordFile.read(reused.outDir().resolve("record.txt")))
                    .as(name)
                    .isEqualTo(RecordFile.read(fresh.outDir().resolve("record.txt")));
            assertThat(reused.outDir().resolve("record.txt"))
                    .as(name)
                    .hasSameBinaryContentAs(fresh.outDir().resolve("record.txt"));
            assertThat(reused.notes())
                    .contains("activation ranges: " + name + " from statistics '" + statistics
                            + "' of 4 batch(es) of 4 sample(s); no calibration forward pass");
            assertThat(reused.parity()).as("verified on the data given").isNotNull();
            assertThat(reused.parity().passed()).isTrue();
        }
        assertThat(RecordFile.read(ifmr.outDir().resolve("record.txt")))
                .isNotEqualTo(RecordFile.read(tmp.resolve("fresh-minmax").resolve("record.txt")));
    }

    @Test
    void anotherSkipListWorksAndSaysItApproximates() {
        QuantizeResult all = calibrate(ConfigOptions.defaults(), "all");
        Path statistics = all.outDir().resolve(StatisticsFile.FILE_NAME);
        ConfigOptions skipFc = ConfigOptions.builder().skipLayers(List.of("fc")).build();
        QuantizeResult reused = fromStatistics(statistics, data, skipFc, "skip-fc");

        assertThat(reused.quantizedLayers()).containsExactly("conv", "deconv", "pool", "proj");
        assertThat(reused.floatLayers()).containsExactly("fc: quant_enable is false");
        assertThat(reused.notes())
                .anySatisfy(n -> assertThat(n)
                        .startsWith("approximation: the statistics were observed with the original run's quantized"
                                + " weights")
                        .contains("fc: INT8 per tensor then, float now")
                        .contains("AMCT calibrates again"));
        // Layers upstream of fc see the same activations either way: their factors match a fresh run exactly.
        var fresh = RecordFile.read(calibrate(skipFc, "fresh-skip-fc").outDir().resolve("record.txt"));
        var record = RecordFile.read(reused.outDir().resolve("record.txt"));
        for (String upstream : List.of("conv", "deconv", "pool")) {
            assertThat(record.get(upstream)).as(upstream).isEqualTo(fresh.get(upstream));
        }
        assertThat(reused.parity().passed()).isTrue();
        // The statistics are carried over unchanged, so a later run can enable fc again.
        assertThat(reused.outDir().resolve(StatisticsFile.FILE_NAME)).hasSameBinaryContentAs(statistics);
    }

    @Test
    void aLayerWhoseInputWasNotObservedIsRefused() {
        QuantizeResult noProj =
                calibrate(ConfigOptions.builder().skipLayers(List.of("proj")).build(), "no-proj");
        Path statistics = noProj.outDir().resolve(StatisticsFile.FILE_NAME);
        Path out = tmp.resolve("all");
        assertThatThrownBy(() -> fromStatistics(statistics, null, ConfigOptions.defaults(), "all"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(statistics.toString())
                .hasMessageContaining("input 'g1' of enabled layer 'proj'")
                .hasMessageContaining("conv, deconv, pool, fc");
        assertThat(out).doesNotExist();
    }

    @Test
    void dmqNeedsACalibrationPassAndIsRefusedFromStatistics() {
        Path statistics = calibrate(ConfigOptions.defaults(), "plain").outDir().resolve(StatisticsFile.FILE_NAME);
        Path out = tmp.resolve("dmq");
        assertThatThrownBy(() -> fromStatistics(
                        statistics,
                        null,
                        ConfigOptions.builder().dmqBalancerParam(0.5).build(),
                        "dmq"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("dmq_balancer_param")
                .hasMessageContaining("--data");
        assertThat(out).doesNotExist();
    }

    @Test
    void statisticsOfAnotherModelAreRefused() {
        Path statistics = calibrate(ConfigOptions.defaults(), "out").outDir().resolve(StatisticsFile.FILE_NAME);
        var edited = SampleModels.allLayerKinds().proto().toBuilder();
        edited.getGraphBuilder().setName("edited");
        ModelIo.save(SampleModels.allLayerKinds().withProto(edited.build()), model);
        assertThatThrownBy(() -> fromStatistics(statistics, null, ConfigOptions.defaults(), "other"))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining(statistics.toString())
                .hasMessageContaining("was computed on a model with sha256")
                .hasMessageContaining(model.toString());
        assertThat(tmp.resolve("other")).doesNotExist();
    }

    @Test
    void aCorruptedStatisticsFileIsRefusedAndNothingIsWritten() throws Exception {
        Path statistics = calibrate(ConfigOptions.defaults(), "out").outDir().resolve(StatisticsFile.FILE_NAME);
        byte[] bytes = Files.readAllBytes(statistics);
        bytes[bytes.length / 3] ^= 0x40;
        Path corrupted = Files.write(tmp.resolve("corrupted.bin"), bytes);
        assertThatThrownBy(() -> fromStatistics(corrupted, data, ConfigOptions.defaults(), "bad"))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("corrupted.bin")
                .hasMessageContaining("checksum");
        Path truncated = Files.write(tmp.resolve("truncated.bin"), java.util.Arrays.copyOf(bytes, 100));
        assertThatThrownBy(() -> fromStatistics(truncated, data, ConfigOptions.defaults(), "bad"))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("truncated.bin")
                .hasMessageContaining("truncated");
        assertThat(tmp.resolve("bad")).doesNotExist();
    }

    @Test
    void statisticsMemoryDoesNotGrowWithTheNumberOfSamples() {
        // The same 16 samples, each repeated 8 times: 8x the values, the same bins touched.
        QuantizeResult once = calibrate(ConfigOptions.defaults(), "once");
        data = npz("calib8.npz", 8);
        QuantizeResult eight = QuantizationPipeline.quantize(
                new QuantizeRequest(model, data, null, ConfigOptions.defaults(), 32, 4, tmp.resolve("eight"), 1),
                ProgressListener.NONE);
        CalibrationStatistics small = StatisticsFile.read(once.outDir().resolve(StatisticsFile.FILE_NAME));
        CalibrationStatistics large = StatisticsFile.read(eight.outDir().resolve(StatisticsFile.FILE_NAME));
        for (TensorStatistics t : small.tensors()) {
            StreamingHistogram a = t.histogram();
            StreamingHistogram b = large.tensor(t.tensor()).orElseThrow().histogram();
            assertThat(b.count()).as(t.tensor()).isEqualTo(8 * a.count());
            assertThat(b.retainedBins()).as(t.tensor()).isEqualTo(a.retainedBins());
        }
        assertThat(large.retainedBins())
                .isEqualTo(small.retainedBins())
                .isLessThanOrEqualTo(small.tensors().size() * StreamingHistogram.MAX_RETAINED_BINS);
        // Counts scale by 8 in every bin, so every range, and the record, is the same.
        assertThat(eight.outDir().resolve("record.txt"))
                .hasSameBinaryContentAs(once.outDir().resolve("record.txt"));
    }
}
