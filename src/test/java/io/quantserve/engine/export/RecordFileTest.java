package io.quantserve.engine.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecordFileTest {
    @TempDir
    Path tmp;

    private static Map<String, LayerRecord> sample() {
        Map<String, LayerRecord> m = new LinkedHashMap<>();
        // Floats chosen to stress decimal round-tripping: non-terminating, subnormal-adjacent, huge, next-ups.
        m.put(
                "layer1.0.conv1",
                new LayerRecord(
                        0.00392156886f, -128, new float[] {1f / 3f, Math.nextUp(0.1f), Float.MIN_NORMAL}, new int[3]));
        m.put("conv1", new LayerRecord(0.0798481479f, 1, new float[] {0.00297622895f}, new int[1]));
        m.put("fc", new LayerRecord(Float.MIN_VALUE, 127, new float[] {Float.MAX_VALUE, 1e-30f}, new int[2]));
        m.put("pool", new LayerRecord(Math.nextDown(1f), 0, new float[0], new int[0]));
        return m;
    }

    @Test
    void writesOneBlockPerLayerInOrderAndReadsBackBitIdentically() {
        Map<String, LayerRecord> records = sample();
        Path file = tmp.resolve("record.txt");
        RecordFile.write(records, file);

        Map<String, LayerRecord> back = RecordFile.read(file);
        assertThat(back.keySet()).containsExactly("layer1.0.conv1", "conv1", "fc", "pool");
        for (String k : records.keySet()) {
            LayerRecord a = records.get(k);
            LayerRecord b = back.get(k);
            assertThat(Float.floatToRawIntBits(b.scaleD())).as(k).isEqualTo(Float.floatToRawIntBits(a.scaleD()));
            assertThat(b.scaleW()).as(k).hasSize(a.scaleW().length);
            for (int i = 0; i < a.scaleW().length; i++) {
                assertThat(Float.floatToRawIntBits(b.scaleW()[i])).isEqualTo(Float.floatToRawIntBits(a.scaleW()[i]));
            }
            assertThat(b).isEqualTo(a);
        }
        assertThat(back.get("pool").activationOnly()).isTrue();
        assertThat(back.get("pool").weightScales()).containsExactly(1f);

        String text = RecordFile.format(records);
        assertThat(text.lines().filter(l -> l.startsWith("record {"))).hasSize(4);
        assertThat(text).contains("key: \"conv1\"").contains("offset_d: -128");
        assertThat(text.indexOf("layer1.0.conv1")).isLessThan(text.indexOf("\"conv1\""));
        assertThat(RecordFile.format(RecordFile.read(file))).isEqualTo(text);
    }

    @Test
    void readsAmctsOwnSingleLineLayout() {
        String amct = """
                record { key: "conv1" value { scale_d: 0.0798481479 offset_d: 1 scale_w: 0.00297622895 offset_w: 0 } }
                record { key: "layer1.0.conv1" value { scale_d: 0.00392156886 offset_d: -128
                                                       scale_w: 0.00106807391 scale_w: 0.00104224426 offset_w: 0 offset_w: 0 } }
                """;
        Map<String, LayerRecord> r = RecordFile.parse(amct, "amct.txt");
        assertThat(r.keySet()).containsExactly("conv1", "layer1.0.conv1");
        assertThat(r.get("conv1").scaleD()).isEqualTo(0.0798481479f);
        assertThat(r.get("layer1.0.conv1").scaleW()).containsExactly(0.00106807391f, 0.00104224426f);
        assertThat(r.get("layer1.0.conv1").activation().offset()).isEqualTo(-128);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "scale_d zero|scale_d: 0 offset_d: 0 scale_w: 1 offset_w: 0|scale_d must be finite and > 0",
                "scale_d negative|scale_d: -0.5 offset_d: 0 scale_w: 1 offset_w: 0|scale_d must be finite and > 0",
                "scale_d infinite|scale_d: inf offset_d: 0 scale_w: 1 offset_w: 0|scale_d must be finite and > 0",
                "scale_d NaN|scale_d: nan offset_d: 0 scale_w: 1 offset_w: 0|scale_d must be finite and > 0",
                "scale_d missing|offset_d: 0 scale_w: 1 offset_w: 0|scale_d is missing",
                "offset_d missing|scale_d: 1 scale_w: 1 offset_w: 0|offset_d is missing",
                "offset_d too high|scale_d: 1 offset_d: 128 scale_w: 1 offset_w: 0|offset_d must lie in [-128, 127]",
                "offset_d too low|scale_d: 1 offset_d: -129 scale_w: 1 offset_w: 0|offset_d must lie in [-128, 127]",
                "scale_w missing|scale_d: 1 offset_d: 0 offset_w: 0|scale_w is missing",
                "scale_w zero|scale_d: 1 offset_d: 0 scale_w: 1 scale_w: 0 offset_w: 0 offset_w: 0|scale_w[1] must be finite and > 0",
                "scale_w infinite|scale_d: 1 offset_d: 0 scale_w: -inf offset_w: 0|scale_w[0] must be finite and > 0",
                "offset_w nonzero|scale_d: 1 offset_d: 0 scale_w: 1 scale_w: 2 offset_w: 0 offset_w: 3|offset_w[1] must be 0",
                "offset_w count|scale_d: 1 offset_d: 0 scale_w: 1 scale_w: 2 offset_w: 0|1 offset_w for 2 scale_w",
                "shift_bit|scale_d: 1 offset_d: 0 scale_w: 1 offset_w: 0 shift_bit: 1|shift_bit is reserved",
            })
    void refusesInvalidValuesNamingLayerFieldAndLine(String what, String value, String message) {
        String text = "record { key: \"ok\" value { scale_d: 1 offset_d: 0 scale_w: 1 offset_w: 0 } }\n"
                + "record {\n  key: \"conv7\"\n  value { " + value + " }\n}\n";
        assertThatThrownBy(() -> RecordFile.parse(text, "rec.txt"))
                .as(what)
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("record file 'rec.txt', line 2")
                .hasMessageContaining("layer 'conv7'")
                .hasMessageContaining(message);
    }

    @Test
    void refusesDuplicateLayersWithBothLines() {
        String text = """
                record { key: "a" value { scale_d: 1 offset_d: 0 scale_w: 1 offset_w: 0 } }
                record { key: "b" value { scale_d: 1 offset_d: 0 scale_w: 1 offset_w: 0 } }
                record { key: "a" value { scale_d: 2 offset_d: 0 scale_w: 1 offset_w: 0 } }
                """;
        assertThatThrownBy(() -> RecordFile.parse(text, "dup.txt"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("layer 'a' is recorded twice (first at line 1)");
    }

    @Test
    void refusesAFieldGivenTwiceInOneLayer() {
        String text = "record { key: \"a\" value { scale_d: 1 scale_d: 2 offset_d: 0 scale_w: 1 offset_w: 0 } }\n";
        assertThatThrownBy(() -> RecordFile.parse(text, "twice.txt"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("line 1")
                .hasMessageContaining("scale_d");
    }

    @Test
    void reportsSyntaxErrorsWithTheirLine() {
        String text = """
                record { key: "a" value { scale_d: 1 offset_d: 0 scale_w: 1 offset_w: 0 } }
                record { key: "b" value { scale_d: 1 offset_d: 0
                  scale_w: oops offset_w: 0 } }
                """;
        assertThatThrownBy(() -> RecordFile.parse(text, "bad.txt"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("record file 'bad.txt', line 3: syntax error");
        assertThatThrownBy(() -> RecordFile.parse("record { key: \"a\" value { scale_x: 1 } }", "unknown.txt"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("line 1")
                .hasMessageContaining("scale_x");
    }

    @Test
    void refusesRecordWithoutKey() {
        assertThatThrownBy(() -> RecordFile.parse("record { value { scale_d: 1 offset_d: 0 } }", "nokey.txt"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("without a layer name");
    }

    @Test
    void emptyRecordReadsAsEmptyButIsRefusedForExport() throws Exception {
        Path file = tmp.resolve("empty.txt");
        Files.writeString(file, "");
        Map<String, LayerRecord> empty = RecordFile.read(file);
        assertThat(empty).isEmpty();
        assertThatThrownBy(() -> RecordFile.requireCalibrated(empty, file.toString()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("calibration not finished")
                .hasMessageContaining(file.toString());
        assertThat(RecordFile.requireCalibrated(sample(), "x")).hasSize(4);
    }

    @Test
    void writingRefusesInvalidRecordsAndMissingFilesAreNamed() {
        Map<String, LayerRecord> bad = Map.of("convX", new LayerRecord(1f, 0, new float[] {1f}, new int[] {5}));
        assertThatThrownBy(() -> RecordFile.format(bad))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("layer 'convX'")
                .hasMessageContaining("offset_w[0] must be 0");
        Path missing = tmp.resolve("nope.txt");
        assertThatThrownBy(() -> RecordFile.read(missing))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void formatIsDeterministic() {
        assertThat(RecordFile.format(sample())).isEqualTo(RecordFile.format(sample()));
        assertThat(List.copyOf(
                        RecordFile.parse(RecordFile.format(sample()), "x").values()))
                .containsExactlyElementsOf(sample().values());
    }
}
