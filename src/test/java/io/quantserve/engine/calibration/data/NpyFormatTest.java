package io.quantserve.engine.calibration.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyFormatTest {
    @TempDir
    Path tmp;

    /** What {@code np.save} writes for {@code np.zeros((3, 4), np.float32)} before the payload (NumPy 2.4). */
    private static final String NUMPY_F4_3x4_HEADER =
            "\u0093NUMPY\u0001\u0000v\u0000{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }" + " ".repeat(58)
                    + "\n";

    @Test
    void writerEmitsTheHeaderNumpyWrites() throws Exception {
        Tensor t = Tensor.ofFloats(new long[] {3, 4}, new float[12]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpyWriter.write(out, t);
        byte[] bytes = out.toByteArray();
        byte[] expectedHeader = NUMPY_F4_3x4_HEADER.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(expectedHeader).hasSize(128);
        assertThat(Arrays.copyOf(bytes, 128)).isEqualTo(expectedHeader);
        assertThat(bytes).hasSize(128 + 48);
        assertThat(NpyWriter.byteSize(t)).isEqualTo(bytes.length);
    }

    @Test
    void everyDtypeRoundTripsThroughWriterAndReader() throws Exception {
        for (DataType type : DataType.values()) {
            long[] shape = {3, 2};
            byte[] payload = new byte[6 * type.byteWidth()];
            for (int i = 0; i < payload.length; i++) payload[i] = (byte) (type == DataType.BOOL ? i % 2 : i * 7 + 1);
            Tensor t = Tensor.ofBytes(type, shape, ByteBuffer.wrap(payload));
            Path file = tmp.resolve(type.name().toLowerCase() + ".npy");
            NpyWriter.write(file, t);
            NpyFile npy = NpyFile.open(file);
            assertThat(npy.info().type()).as(type.displayName()).isEqualTo(type);
            assertThat(npy.info().shape()).containsExactly(3, 2);
            assertThat(npy.info().name()).isEqualTo(type.name().toLowerCase());
            Tensor back = npy.read();
            assertThat(back.bytes()).as(type.displayName()).isEqualTo(payload);
            assertThat(back.shape()).containsExactly(3, 2);
        }
    }

    @Test
    void scalarsAndOneDimensionalArraysRoundTrip() throws Exception {
        Path scalar = tmp.resolve("s.npy");
        NpyWriter.write(scalar, Tensor.ofFloats(new long[0], new float[] {2.5f}));
        assertThat(new String(Files.readAllBytes(scalar), StandardCharsets.ISO_8859_1))
                .contains("'shape': (), }");
        assertThat(NpyFile.open(scalar).read().toFloats()).containsExactly(2.5f);

        Path vector = tmp.resolve("v.npy");
        NpyWriter.write(vector, Tensor.ofLongs(new long[] {3}, new long[] {-1, 0, Long.MAX_VALUE}));
        assertThat(new String(Files.readAllBytes(vector), StandardCharsets.ISO_8859_1))
                .contains("'shape': (3,), }");
        assertThat(NpyFile.open(vector).read().toLongs()).containsExactly(-1, 0, Long.MAX_VALUE);
    }

    @Test
    void readerStreamsRowsThatConcatenateToTheFullArray() throws Exception {
        float[] values = new float[10 * 3];
        for (int i = 0; i < values.length; i++) values[i] = i * 0.5f;
        Path file = tmp.resolve("rows.npy");
        NpyWriter.write(file, Tensor.ofFloats(new long[] {10, 3}, values));
        NpyFile npy = NpyFile.open(file);
        try (NpyRowReader r = npy.rows("rows")) {
            assertThat(r.rowCount()).isEqualTo(10);
            Tensor a = r.next(4);
            Tensor b = r.next(0);
            Tensor c = r.next(6);
            assertThat(a.shape()).containsExactly(4, 3);
            assertThat(b.shape()).containsExactly(0, 3);
            assertThat(r.rowsLeft()).isZero();
            assertThat(a.toFloats()).containsExactly(Arrays.copyOfRange(values, 0, 12));
            assertThat(c.toFloats()).containsExactly(Arrays.copyOfRange(values, 12, 30));
            assertThatThrownBy(() -> r.next(1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void versionTwoAndThreeHeadersAndPythonTwoLongsAreRead() {
        String dict = "{'shape': (2L, 1L), 'fortran_order': False, 'descr': '<i4'}";
        for (int major : new int[] {2, 3}) {
            byte[] file = npy(major, dict, new byte[] {1, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            try (NpyRowReader r = NpyRowReader.open(new ByteArrayInputStream(file), "v" + major)) {
                assertThat(r.header().type()).isEqualTo(DataType.INT32);
                assertThat(r.header().payloadOffset()).isEqualTo(12 + dict.length() + 1);
                assertThat(r.readRest().toLongs()).containsExactly(1, -1);
            }
        }
    }

    @Test
    void fortranOrderIsRefusedWithARemedy() {
        byte[] file = npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new byte[16]);
        assertThatThrownBy(() -> NpyRowReader.open(new ByteArrayInputStream(file), "weights"))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("'weights'")
                .hasMessageContaining("Fortran")
                .hasMessageContaining("ascontiguousarray");
    }

    @Test
    void bigEndianIsRefusedWithARemedy() {
        byte[] file = npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", new byte[8]);
        assertThatThrownBy(() -> NpyRowReader.open(new ByteArrayInputStream(file), "x"))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("'x' is big-endian ('>f4')")
                .hasMessageContaining("astype('<f4')");
    }

    @Test
    void unknownAndStructuredDtypesAreRefusedNamingTheArray() {
        for (String descr : new String[] {"'<c8'", "'<U5'", "'|O'", "'<M8[ns]'", "'=f4'"}) {
            byte[] file = npy(1, "{'descr': " + descr + ", 'fortran_order': False, 'shape': (1,), }", new byte[8]);
            assertThatThrownBy(() -> NpyRowReader.open(new ByteArrayInputStream(file), "strange"))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("'strange' has dtype " + descr)
                    .hasMessageContaining("supported dtypes");
        }
        byte[] structured =
                npy(1, "{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, 'shape': (1,), }", new byte[8]);
        assertThatThrownBy(() -> NpyRowReader.open(new ByteArrayInputStream(structured), "rec"))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("'rec' has a structured dtype");
    }

    @Test
    void malformedHeadersAreRefused() {
        assertThatThrownBy(() -> NpyRowReader.open(new ByteArrayInputStream("PK\3\4junk".getBytes()), "a"))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("bad magic");
        byte[] v9 = npy(1, "{}", new byte[0]);
        v9[6] = 9;
        assertThatThrownBy(() -> NpyRowReader.open(new ByteArrayInputStream(v9), "a"))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("version 9.0");
        assertThatThrownBy(() -> NpyRowReader.open(
                        new ByteArrayInputStream(npy(1, "{'descr': '<f4', 'shape': (1,)}", new byte[4])), "a"))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("lacks one of");
        assertThatThrownBy(() -> NpyRowReader.open(
                        new ByteArrayInputStream(
                                npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}", new byte[4])),
                        "a"))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("invalid shape");
        assertThatThrownBy(() -> NpyRowReader.open(
                        new ByteArrayInputStream(npy(1, "{'descr': '<f4', 'fortran_order': False", new byte[0])), "a"))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("unreadable .npy header");
    }

    @Test
    void truncatedFilesAreRefusedNamingTheArray() throws Exception {
        Path file = tmp.resolve("images.npy");
        NpyWriter.write(file, Tensor.ofFloats(new long[] {4, 2}, new float[8]));
        byte[] whole = Files.readAllBytes(file);

        Files.write(file, Arrays.copyOf(whole, whole.length - 5));
        assertThatThrownBy(() -> NpyFile.open(file))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("'images' is truncated")
                .hasMessageContaining("needs " + whole.length);

        Files.write(file, Arrays.copyOf(whole, 40));
        assertThatThrownBy(() -> NpyFile.open(file))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("'images' is truncated")
                .hasMessageContaining("header");

        // A stream of unknown length is caught while reading: rows 0-2 are whole, row 3 is cut.
        byte[] cut = Arrays.copyOf(whole, whole.length - 5);
        try (NpyRowReader r = NpyRowReader.open(new ByteArrayInputStream(cut), "images")) {
            assertThat(r.next(2).shape()).containsExactly(2, 2);
            assertThatThrownBy(() -> r.next(2))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("'images' is truncated")
                    .hasMessageContaining("row 3 of 4 cannot be read");
        }
    }

    /** Builds a .npy file by hand with the given format version and header text. */
    static byte[] npy(int major, String dict, byte[] payload) {
        byte[] text = (dict + "\n").getBytes(StandardCharsets.UTF_8);
        int lengthBytes = major == 1 ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate(8 + lengthBytes + text.length + payload.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93)
                .put("NUMPY".getBytes(StandardCharsets.US_ASCII))
                .put((byte) major)
                .put((byte) 0);
        if (lengthBytes == 2) {
            b.putShort((short) text.length);
        } else {
            b.putInt(text.length);
        }
        return b.put(text).put(payload).array();
    }
}
