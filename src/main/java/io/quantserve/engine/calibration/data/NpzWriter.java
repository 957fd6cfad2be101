package io.quantserve.engine.calibration.data;

import io.quantserve.engine.tensor.Tensor;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.SequencedMap;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes named tensors as a NumPy {@code .npz} archive ({@code numpy.savez} / {@code savez_compressed} layout:
 * one {@code <key>.npy} member per tensor, in map order). Every member carries the same fixed timestamp, so the
 * same tensors always give the same bytes.
 */
public final class NpzWriter {
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private NpzWriter() {}

    /**
     * Writes {@code arrays} to {@code file}.
     *
     * @param compressed deflate the members ({@code savez_compressed}) or store them ({@code savez})
     */
    public static void write(Path file, SequencedMap<String, Tensor> arrays, boolean compressed) {
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                ZipOutputStream zip = new ZipOutputStream(raw)) {
            zip.setLevel(Deflater.DEFAULT_COMPRESSION);
            for (var e : arrays.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                entry.setTimeLocal(FIXED_TIME);
                if (compressed) {
                    entry.setMethod(ZipEntry.DEFLATED);
                    zip.putNextEntry(entry);
                    NpyWriter.write(zip, e.getValue());
                } else {
                    // A stored member needs its size and CRC before its data.
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    NpyWriter.write(bytes, e.getValue());
                    CRC32 crc = new CRC32();
                    crc.update(bytes.toByteArray());
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(bytes.size());
                    entry.setCompressedSize(bytes.size());
                    entry.setCrc(crc.getValue());
                    zip.putNextEntry(entry);
                    bytes.writeTo(zip);
                }
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }
}
