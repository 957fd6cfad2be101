package io.quantserve.engine.calibration.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.onnx.TensorProtos;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SequencedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxTestDataFolderTest {
    private static final Path TEST_ADD = Path.of("/usr/share/libonnx-testdata/data/node/test_add");

    @TempDir
    Path tmp;

    @Test
    void libonnxTestAddSetFeedsTheSessionAndReproducesItsOutput() throws Exception {
        assumeTrue(Files.isDirectory(TEST_ADD), "libonnx-testdata not installed, test skipped: " + TEST_ADD);
        try (InferenceSession session =
                        InferenceSession.open(TEST_ADD.resolve("model.onnx"), SessionSettings.defaults());
                CalibrationData data = CalibrationData.open(TEST_ADD)) {
            DatasetDescription d = data.describe();
            assertThat(d.format()).isEqualTo(DataFormat.ONNX_TEST_DATA);
            assertThat(d.arrays())
                    .containsExactly(
                            new ArrayInfo("test_data_set_0/input_0", DataType.FLOAT, new long[] {3, 4, 5}),
                            new ArrayInfo("test_data_set_0/input_1", DataType.FLOAT, new long[] {3, 4, 5}));
            assertThat(d.sampleCount()).hasValue(1);
            assertThat(data.check(session.inputs()).sources())
                    .extracting(InputSource::input, InputSource::source)
                    .containsExactly(tuple("x", "input_0"), tuple("y", "input_1"));

            try (BatchStream s = data.batches(session.inputs(), new BatchPlan(64, 4))) {
                assertThat(s.schedule()).isEqualTo(new BatchSchedule(1, 4, 1, 1, 1));
                assertThat(s.schedule().isShort()).isTrue();
                SequencedMap<String, Tensor> feed = s.next();
                assertThat(feed.sequencedKeySet()).containsExactly("x", "y");
                assertThat(s.hasNext()).isFalse();
                Tensor expected = TensorProtos.toTensor(
                        TensorProto.parseFrom(Files.readAllBytes(TEST_ADD.resolve("test_data_set_0/output_0.pb"))),
                        null);
                Tensor actual =
                        session.run(feed).get(session.outputs().getFirst().name());
                assertThat(actual.shape()).containsExactly(3, 4, 5);
                // Add of two float32 values is exact and ONNX's reference uses the same float32 arithmetic.
                assertThat(actual.toFloats()).containsExactly(expected.toFloats());
            }
        }
    }

    @Test
    void setsAreReadInNumericOrderOneSetPerBatch() throws Exception {
        for (int set = 0; set < 12; set++) {
            writeSet(tmp.resolve("test_data_set_" + set), filled(set, 2), filled(-set, 2));
        }
        Files.createDirectories(tmp.resolve("not_a_set"));
        Files.writeString(tmp.resolve("model.onnx"), "ignored");
        List<Float> firstValues = new ArrayList<>();
        try (InferenceSession session = TinyModels.addSession();
                CalibrationData data = CalibrationData.open(tmp);
                BatchStream s = data.batches(session.inputs(), new BatchPlan(1, 12))) {
            assertThat(data.describe().sampleCount()).hasValue(12);
            assertThat(data.describe().arrays().get(20).name()).isEqualTo("test_data_set_10/input_0");
            s.forEachRemaining(feed -> {
                firstValues.add(feed.get("a").toFloats()[0]);
                assertThat(session.run(feed).get("c").toFloats()).containsOnly(0f);
            });
        }
        assertThat(firstValues).containsExactly(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f);
    }

    @Test
    void aFolderHoldingInputFilesIsOneSet() throws Exception {
        writeSet(tmp, filled(1, 1), filled(2, 1));
        try (CalibrationData data = CalibrationData.open(tmp)) {
            assertThat(data.describe().arrays()).extracting(ArrayInfo::name).containsExactly("input_0", "input_1");
            assertThat(data.describe().sampleCount()).hasValue(1);
        }
    }

    @Test
    void eachSetMustHoldExactlyTheModelsInputsWithItsTypesAndShapes() throws Exception {
        Path wrongCount = tmp.resolve("count");
        writeSet(wrongCount.resolve("test_data_set_0"), filled(1, 2), filled(1, 2));
        writeSet(wrongCount.resolve("test_data_set_1"), filled(1, 2));
        Path wrongType = tmp.resolve("type");
        writeSet(wrongType.resolve("test_data_set_0"), filled(1, 2), Tensor.ofLongs(new long[] {2, 3}, new long[6]));
        Path wrongShape = tmp.resolve("shape");
        writeSet(wrongShape.resolve("test_data_set_0"), filled(1, 2), Tensor.ofFloats(new long[] {2, 4}, new float[8]));
        try (InferenceSession session = TinyModels.addSession()) {
            try (CalibrationData data = CalibrationData.open(wrongCount)) {
                assertThatThrownBy(() -> data.check(session.inputs()))
                        .isInstanceOf(InvalidDataException.class)
                        .hasMessageContaining("test-data set 1 holds 1 inputs")
                        .hasMessageContaining("the model takes 2");
            }
            try (CalibrationData data = CalibrationData.open(wrongType)) {
                assertThatThrownBy(() -> data.check(session.inputs()))
                        .isInstanceOf(InvalidDataException.class)
                        .hasMessageContaining(
                                "model input 'b' takes float32 but 'test_data_set_0/input_1' holds int64");
            }
            try (CalibrationData data = CalibrationData.open(wrongShape)) {
                assertThatThrownBy(() -> data.batches(session.inputs(), new BatchPlan(1, 1)))
                        .isInstanceOf(InvalidDataException.class)
                        .hasMessageContaining("model input 'b' expects shape [-1, 3]")
                        .hasMessageContaining("'test_data_set_0/input_1' has shape [2, 4]");
            }
        }
    }

    @Test
    void nanInASetNamesTheInputAndTheSet() throws Exception {
        writeSet(tmp.resolve("test_data_set_0"), filled(1, 2), filled(1, 2));
        float[] bad = new float[6];
        bad[4] = Float.POSITIVE_INFINITY;
        writeSet(tmp.resolve("test_data_set_1"), filled(1, 2), Tensor.ofFloats(new long[] {2, 3}, bad));
        try (InferenceSession session = TinyModels.addSession();
                CalibrationData data = CalibrationData.open(tmp);
                BatchStream s = data.batches(session.inputs(), new BatchPlan(1, 2))) {
            s.next();
            assertThatThrownBy(s::next)
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("model input 'b' ('test_data_set_1/input_1'): sample 1 holds +inf")
                    .hasMessageContaining("element 4");
        }
    }

    @Test
    void malformedFoldersAreRefused() throws Exception {
        Path gap = tmp.resolve("gap/test_data_set_0");
        writeSet(gap, filled(1, 1), filled(1, 1));
        Files.move(gap.resolve("input_1.pb"), gap.resolve("input_2.pb"));
        assertThatThrownBy(() -> CalibrationData.open(tmp.resolve("gap")))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("has input_2.pb but no input_1.pb");

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> CalibrationData.open(empty))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("holds no test_data_set_<i> folder");

        Path strings = tmp.resolve("strings/test_data_set_0");
        Files.createDirectories(strings);
        Files.write(
                strings.resolve("input_0.pb"),
                TensorProto.newBuilder()
                        .setDataType(8)
                        .addDims(1)
                        .addStringData(ByteString.copyFromUtf8("hi"))
                        .build()
                        .toByteArray());
        assertThatThrownBy(() -> CalibrationData.open(tmp.resolve("strings")))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("'test_data_set_0/input_0'")
                .hasMessageContaining("does not feed");

        Path garbage = tmp.resolve("garbage/test_data_set_0");
        Files.createDirectories(garbage);
        Files.write(garbage.resolve("input_0.pb"), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
        assertThatThrownBy(() -> CalibrationData.open(tmp.resolve("garbage")))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("not a serialized TensorProto");
    }

    @Test
    void packedDimsAreReadFromTheHeaderWithoutTheRawData() throws Exception {
        Path file = tmp.resolve("packed.pb");
        try (OutputStream out = Files.newOutputStream(file)) {
            CodedOutputStream c = CodedOutputStream.newInstance(out);
            c.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            c.writeUInt32NoTag(
                    CodedOutputStream.computeInt64SizeNoTag(2) + CodedOutputStream.computeInt64SizeNoTag(300));
            c.writeInt64NoTag(2);
            c.writeInt64NoTag(300);
            c.writeInt32(2, DataType.UINT8.onnxCode());
            c.writeBytes(9, ByteString.copyFrom(new byte[600]));
            c.writeString(8, "pixels");
            c.flush();
        }
        assertThat(TensorProtoHeader.read(file, "pixels"))
                .isEqualTo(new ArrayInfo("pixels", DataType.UINT8, new long[] {2, 300}));
    }

    private static Tensor filled(float value, int rows) {
        float[] v = new float[rows * 3];
        Arrays.fill(v, value);
        return Tensor.ofFloats(new long[] {rows, 3}, v);
    }

    private static void writeSet(Path dir, Tensor... inputs) throws Exception {
        Files.createDirectories(dir);
        for (int k = 0; k < inputs.length; k++) {
            Files.write(
                    dir.resolve("input_" + k + ".pb"),
                    TensorProtos.fromTensor("in" + k, inputs[k]).toByteArray());
        }
    }
}
