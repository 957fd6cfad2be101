package io.quantserve.engine.calibration.data;

import io.quantserve.engine.tensor.Tensor;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes tensors as NumPy {@code .npy} arrays (C order, little-endian, the header NumPy itself writes), so
 * {@code numpy.load} reads them back. Deterministic: the same tensor always gives the same bytes.
 */
public final class NpyWriter {
    private static final int CHUNK = 1 << 16;

    private NpyWriter() {}

    /** Writes {@code tensor} to a new or truncated file. */
    public static void write(Path file, Tensor tensor) {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), CHUNK)) {
            write(out, tensor);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }

    /** Writes header and payload of {@code tensor} to {@code out}, which stays open. */
    public static void write(OutputStream out, Tensor tensor) throws IOException {
        out.write(NpyHeader.encode(tensor.type(), tensor.shape()));
        ByteBuffer data = tensor.data();
        byte[] chunk = new byte[Math.min(CHUNK, data.remaining())];
        while (data.hasRemaining()) {
            int n = Math.min(chunk.length, data.remaining());
            data.get(chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }

    /** Size in bytes of the {@code .npy} form of {@code tensor}. */
    public static long byteSize(Tensor tensor) {
        return NpyHeader.encode(tensor.type(), tensor.shape()).length
                + (long) tensor.data().remaining();
    }
}
