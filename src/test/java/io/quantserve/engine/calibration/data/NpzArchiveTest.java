package io.quantserve.engine.calibration.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.SharedFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzArchiveTest {
    @TempDir
    Path tmp;

    @Test
    void handBuiltZipWithStoredAndDeflatedMembersIsListedAndStreamed() throws Exception {
        float[] xs = {1, 2, 3, 4, 5, 6};
        long[] ids = {10, 20, 30};
        Path file = tmp.resolve("mixed.npz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("folder/"));
            zip.closeEntry();
            putStored(zip, "x.npy", npyBytes(Tensor.ofFloats(new long[] {3, 2}, xs)));
            ZipEntry deflated = new ZipEntry("ids.npy");
            deflated.setMethod(ZipEntry.DEFLATED);
            zip.putNextEntry(deflated);
            zip.write(npyBytes(Tensor.ofLongs(new long[] {3}, ids)));
            zip.closeEntry();
            putStored(zip, "notes.txt", "not an array".getBytes());
        }
        try (NpzArchive npz = NpzArchive.open(file)) {
            assertThat(npz.arrays())
                    .containsExactly(
                            new ArrayInfo("x", DataType.FLOAT, new long[] {3, 2}),
                            new ArrayInfo("ids", DataType.INT64, new long[] {3}));
            try (NpyRowReader x = npz.rows("x");
                    NpyRowReader id = npz.rows("ids")) {
                assertThat(x.next(1).toFloats()).containsExactly(1, 2);
                assertThat(id.next(2).toLongs()).containsExactly(10, 20);
                assertThat(x.next(2).toFloats()).containsExactly(3, 4, 5, 6);
                assertThat(id.next(1).toLongs()).containsExactly(30);
            }
            assertThatThrownBy(() -> npz.rows("notes"))
                    .isInstanceOf(InvalidDataException.class)
                    .hasMessageContaining("no array 'notes'")
                    .hasMessageContaining("[x, ids]");
        }
    }

    @Test
    void writerRoundTripsStoredAndCompressedDeterministically() throws Exception {
        SequencedMap<String, Tensor> arrays = new LinkedHashMap<>();
        float[] big = new float[1000 * 8];
        for (int i = 0; i < big.length; i++) big[i] = (i % 13) * 0.25f;
        arrays.put("input", Tensor.ofFloats(new long[] {1000, 8}, big));
        arrays.put("labels", Tensor.ofLongs(new long[] {4}, new long[] {3, 1, 4, 1}));
        for (boolean compressed : new boolean[] {false, true}) {
            Path a = tmp.resolve("a" + compressed + ".npz");
            Path b = tmp.resolve("b" + compressed + ".npz");
            NpzWriter.write(a, arrays, compressed);
            NpzWriter.write(b, arrays, compressed);
            assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
            try (NpzArchive npz = NpzArchive.open(a)) {
                assertThat(npz.arrays()).extracting(ArrayInfo::name).containsExactly("input", "labels");
                assertThat(npz.read("input").toFloats()).containsExactly(big);
                assertThat(npz.read("labels").toLongs()).containsExactly(3, 1, 4, 1);
            }
            long size = Files.size(a);
            if (compressed) {
                assertThat(size).isLessThan(big.length * 4L / 4);
            } else {
                assertThat(size).isGreaterThan(big.length * 4L);
            }
        }
    }

    @Test
    void truncatedArchiveAndTruncatedMemberAreRefused() throws Exception {
        Path whole = tmp.resolve("whole.npz");
        NpzWriter.write(
                whole,
                new LinkedHashMap<>(java.util.Map.of("x", Tensor.ofFloats(new long[] {64}, new float[64]))),
                true);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = tmp.resolve("cut.npz");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> NpzArchive.open(cut))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("cut.npz")
                .hasMessageContaining("not a readable .npz");

        // A member whose header promises 4 rows but whose payload holds 3.
        byte[] member = npyBytes(Tensor.ofFloats(new long[] {4, 2}, new float[8]));
        Path shortMember = tmp.resolve("short.npz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(shortMember))) {
            putStored(zip, "images.npy", Arrays.copyOf(member, member.length - 8));
        }
        assertThatThrownBy(() -> NpzArchive.open(shortMember))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("'images' is truncated");
    }

    @Test
    void mnistArraysAreListedFromHeadersAndStreamedRowsMatchTheFullRead() {
        Path file = SharedFixtures.shared("data/mnist.npz");
        try (NpzArchive npz = NpzArchive.open(file)) {
            assertThat(npz.arrays())
                    .containsExactly(
                            new ArrayInfo("calib", DataType.UINT8, new long[] {256, 28, 28}),
                            new ArrayInfo("test", DataType.UINT8, new long[] {10000, 28, 28}),
                            new ArrayInfo("test_labels", DataType.UINT8, new long[] {10000}));
            byte[] full = npz.read("calib").bytes();
            // Values checked with NumPy: calib[0].sum() == 27525, calib[255].sum() == 33676,
            // calib[0, 14, 10:18] == [0, 0, 0, 81, 240, 253, 253, 119].
            assertThat(sum(full, 0, 784)).isEqualTo(27525);
            assertThat(sum(full, 255 * 784, 784)).isEqualTo(33676);
            assertThat(unsigned(full, 14 * 28 + 10, 8)).containsExactly(0, 0, 0, 81, 240, 253, 253, 119);

            ByteArrayOutputStream streamed = new ByteArrayOutputStream();
            try (NpyRowReader rows = npz.rows("calib")) {
                while (rows.rowsLeft() > 0) {
                    Tensor block = rows.next((int) Math.min(7, rows.rowsLeft()));
                    assertThat(block.shape()).containsExactly(block.dim(0), 28, 28);
                    streamed.writeBytes(block.bytes());
                }
            }
            assertThat(streamed.toByteArray()).isEqualTo(full);

            try (NpyRowReader labels = npz.rows("test_labels")) {
                assertThat(labels.next(10).toLongs()).containsExactly(7, 2, 1, 0, 4, 1, 4, 9, 5, 9);
            }
            try (NpyRowReader test = npz.rows("test")) {
                test.next(1234);
                byte[] row1234 = test.next(1).bytes();
                assertThat(unsigned(row1234, 14 * 28 + 10, 8)).containsExactly(218, 215, 148, 229, 255, 254, 121, 36);
            }
        }
    }

    private static long sum(byte[] b, int from, int n) {
        long s = 0;
        for (int i = from; i < from + n; i++) s += b[i] & 0xff;
        return s;
    }

    private static int[] unsigned(byte[] b, int from, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = b[from + i] & 0xff;
        return out;
    }

    static byte[] npyBytes(Tensor t) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpyWriter.write(out, t);
        return out.toByteArray();
    }

    static void putStored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
