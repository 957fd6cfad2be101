package io.quantserve.engine.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.calibration.StatisticsProvenance.WeightSetting;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatisticsFileTest {
    @TempDir
    Path tmp;

    private static final String MODEL = "ab".repeat(32);
    private static final String DATA = "0123456789abcdef".repeat(4);

    private static StatisticsProvenance provenance() {
        return new StatisticsProvenance(
                MODEL,
                DATA,
                8,
                4,
                3,
                List.of(
                        new WeightSetting("conv", true, true),
                        new WeightSetting("pool", true, false),
                        new WeightSetting("fc", false, false)));
    }

    private static TensorStatistics tensor(String name, List<float[]> batches, String... layers) {
        return new TensorStatistics(name, List.of(layers), Samples.histogram(batches));
    }

    /** Tensors of every kind: heavy tails, ReLU zeros, a single outlier, extreme floats, never seen, constant. */
    private static CalibrationStatistics sample(int split) {
        return new CalibrationStatistics(
                provenance(),
                List.of(
                        tensor("x", Samples.split(Samples.laplace(1, 30_000, 0.3), split), "conv"),
                        tensor("relu_out", Samples.split(Samples.reluLike(2, 30_000), split), "pool", "fc"),
                        tensor("outlier", Samples.split(Samples.singleOutlier(3, 10_000, -80f), split), "fc"),
                        tensor(
                                "extremes",
                                List.of(new float[] {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -0f, 0f}),
                                "proj"),
                        tensor("never", List.of(), "then_conv"),
                        tensor("constant", List.of(Samples.constant(100, 2.5f)), "näme with ünicode")));
    }

    @Test
    void roundTripKeepsEveryCounterAndGivesTheSameBytes() {
        CalibrationStatistics original = sample(4096);
        byte[] bytes = StatisticsFile.encode(original);
        CalibrationStatistics read = StatisticsFile.decode(bytes, "mem");

        assertThat(read.provenance()).isEqualTo(original.provenance());
        assertThat(read.tensors()).hasSameSizeAs(original.tensors());
        for (int i = 0; i < original.tensors().size(); i++) {
            TensorStatistics a = original.tensors().get(i);
            TensorStatistics b = read.tensors().get(i);
            assertThat(b.tensor()).isEqualTo(a.tensor());
            assertThat(b.layers()).isEqualTo(a.layers());
            assertSameHistogram(b.histogram(), a.histogram(), a.tensor());
        }
        assertThat(StatisticsFile.encode(read)).isEqualTo(bytes);
        assertThat(read.retainedBins()).isEqualTo(original.retainedBins());
    }

    @Test
    void bytesDependOnlyOnTheValuesNotOnTheBatching() {
        CalibrationStatistics statistics = sample(1_000_000);
        byte[] whole = StatisticsFile.encode(statistics);
        assertThat(StatisticsFile.encode(sample(777))).isEqualTo(whole);
        assertThat(StatisticsFile.encode(sample(4096))).isEqualTo(whole);
        // Compact: only the non-zero counters are stored, here under one byte per value (the floats take four).
        long values = statistics.tensors().stream()
                .mapToLong(t -> t.histogram().count())
                .sum();
        assertThat((long) whole.length).isLessThan(values);
    }

    @Test
    void writeAndReadThroughAFile() {
        Path file = tmp.resolve(StatisticsFile.FILE_NAME);
        CalibrationStatistics original = sample(4096);
        StatisticsFile.write(original, file);
        CalibrationStatistics read = StatisticsFile.read(file);
        assertThat(StatisticsFile.encode(read)).isEqualTo(StatisticsFile.encode(original));
        assertThat(read.tensor("relu_out").orElseThrow().layers()).containsExactly("pool", "fc");
        assertThat(read.tensor("nope")).isEmpty();
    }

    @Test
    void everyObserverReadsTheSameRangeFromTheRestoredStatistics() {
        CalibrationStatistics original = sample(4096);
        CalibrationStatistics read = StatisticsFile.decode(StatisticsFile.encode(original), "mem");
        IfmrObserver.Search amct = new IfmrObserver.Search(0.999999, 0.999999, 0.7, 1.3, 0.01);
        List<ActivationObserver> observers = List.of(
                new IfmrObserver(amct, false),
                new IfmrObserver(amct, true),
                new HfmgObserver(2048, true),
                new PercentileObserver(0.999, false),
                new KlObserver(2048),
                new MinMaxObserver());
        for (int i = 0; i < original.tensors().size(); i++) {
            for (ActivationObserver o : observers) {
                assertThat(o.range(read.tensors().get(i).histogram()))
                        .as("%s on %s", o, original.tensors().get(i).tensor())
                        .isEqualTo(o.range(original.tensors().get(i).histogram()));
            }
        }
    }

    @Test
    void missingEmptyAndForeignFilesAreRefusedNamingTheFile() throws Exception {
        Path missing = tmp.resolve("missing.bin");
        assertThatThrownBy(() -> StatisticsFile.read(missing))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("missing.bin")
                .hasMessageContaining("does not exist");
        Path empty = Files.write(tmp.resolve("empty.bin"), new byte[0]);
        assertThatThrownBy(() -> StatisticsFile.read(empty))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("empty.bin")
                .hasMessageContaining("not a QuantServe statistics file");
        Path text = Files.writeString(tmp.resolve("record.txt"), "record {\n}\n");
        assertThatThrownBy(() -> StatisticsFile.read(text))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("not a QuantServe statistics file");
    }

    @Test
    void truncatedFilesAreRefusedAtAnyLength() {
        byte[] bytes = StatisticsFile.encode(sample(4096));
        for (int length : new int[] {9, 19, 20, 21, 200, bytes.length / 2, bytes.length - 4, bytes.length - 1}) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> StatisticsFile.decode(cut, "cut.bin"))
                    .as("length %d", length)
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("cut.bin")
                    .hasMessageContaining("truncated");
        }
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        assertThatThrownBy(() -> StatisticsFile.decode(longer, "long.bin"))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("wrong size");
    }

    @Test
    void anyFlippedByteIsDetected() {
        byte[] bytes = StatisticsFile.encode(sample(4096));
        for (int at = 0; at < bytes.length; at += Math.max(1, bytes.length / 97)) {
            byte[] bad = bytes.clone();
            bad[at] ^= 0x10;
            assertThatThrownBy(() -> StatisticsFile.decode(bad, "flip.bin"))
                    .as("byte %d", at)
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("flip.bin");
        }
        byte[] bad = bytes.clone();
        bad[bytes.length / 2] ^= 1;
        assertThatThrownBy(() -> StatisticsFile.decode(bad, "flip.bin"))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("corrupted")
                .hasMessageContaining("checksum");
    }

    @Test
    void anotherVersionIsRefusedWithItsNumber() {
        byte[] bytes = StatisticsFile.encode(sample(4096));
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 7);
        assertThatThrownBy(() -> StatisticsFile.decode(withChecksum(bytes), "v7.bin"))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("v7.bin")
                .hasMessageContaining("version 7")
                .hasMessageContaining("reads version 1");
    }

    @Test
    void inconsistentContentBehindAValidChecksumIsRefusedNamingTheTensor() {
        // A histogram whose counters do not add up to its value count.
        StreamingHistogram good = Samples.histogram(Samples.gaussian(5, 1000, 1));
        long[][] blocks = new long[StreamingHistogram.BLOCK_COUNT][];
        for (int b = 0; b < blocks.length; b++) blocks[b] = good.block(b);
        assertRefused(new StreamingHistogram(blocks, good.count() + 1, good.min(), good.max()), "counters sum to");
        // Extremes outside the counted bins.
        assertRefused(new StreamingHistogram(blocks, good.count(), good.min() * 2, good.max()), "is empty");
        assertRefused(new StreamingHistogram(blocks, good.count(), good.max(), good.min()), "invalid min/max");
        assertRefused(
                new StreamingHistogram(blocks, good.count(), Float.NEGATIVE_INFINITY, good.max()), "invalid min/max");
        // Min and max inside the counted bins, but a counted bin beyond max.
        StreamingHistogram wide = Samples.histogram(new float[] {1f, 2f, 1000f});
        long[][] wideBlocks = new long[StreamingHistogram.BLOCK_COUNT][];
        for (int b = 0; b < wideBlocks.length; b++) wideBlocks[b] = wide.block(b);
        assertRefused(new StreamingHistogram(wideBlocks, 3, 1f, 2f), "outside [min, max]");
    }

    private static void assertRefused(StreamingHistogram bad, String message) {
        CalibrationStatistics statistics = new CalibrationStatistics(
                provenance(),
                List.of(
                        tensor("fine", List.of(Samples.gaussian(6, 100, 1)), "conv"),
                        new TensorStatistics("broken", List.of("fc"), bad)));
        assertThatThrownBy(() -> StatisticsFile.decode(StatisticsFile.encode(statistics), "bad.bin"))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("bad.bin")
                .hasMessageContaining("tensor 'broken'")
                .hasMessageContaining(message);
    }

    @Test
    void retainedBinsDoNotGrowWithTheNumberOfValues() {
        float[] batch = Samples.laplace(7, 50_000, 0.3);
        StreamingHistogram once = Samples.histogram(batch);
        StreamingHistogram many = new StreamingHistogram();
        for (int i = 0; i < 40; i++) many.accept(batch);
        assertThat(many.count()).isEqualTo(40 * once.count());
        assertThat(many.retainedBins()).isEqualTo(once.retainedBins());
        CalibrationStatistics small =
                new CalibrationStatistics(provenance(), List.of(new TensorStatistics("x", List.of("conv"), once)));
        CalibrationStatistics large =
                new CalibrationStatistics(provenance(), List.of(new TensorStatistics("x", List.of("conv"), many)));
        assertThat(large.retainedBins()).isEqualTo(small.retainedBins());
        // The file grows only by the wider varints of larger counts.
        assertThat(StatisticsFile.encode(large).length).isLessThan(2 * StatisticsFile.encode(small).length);
    }

    private static void assertSameHistogram(StreamingHistogram actual, StreamingHistogram expected, String tensor) {
        assertThat(actual.count()).as(tensor).isEqualTo(expected.count());
        assertThat(Float.floatToRawIntBits(actual.min())).as(tensor).isEqualTo(Float.floatToRawIntBits(expected.min()));
        assertThat(Float.floatToRawIntBits(actual.max())).as(tensor).isEqualTo(Float.floatToRawIntBits(expected.max()));
        assertThat(actual.retainedBins()).as(tensor).isEqualTo(expected.retainedBins());
        for (int b = 0; b < StreamingHistogram.BLOCK_COUNT; b++) {
            assertThat(actual.block(b)).as("%s block %d", tensor, b).isEqualTo(expected.block(b));
        }
    }

    /** The bytes with the trailing CRC-32C recomputed, so that only the edited field is wrong. */
    private static byte[] withChecksum(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length - 4, (int) crc.getValue());
        return bytes;
    }
}
