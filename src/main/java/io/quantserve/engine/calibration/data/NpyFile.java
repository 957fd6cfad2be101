package io.quantserve.engine.calibration.data;

import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A single NumPy {@code .npy} file. Opening it reads and checks the header against the file size; {@link #rows}
 * streams the payload. The array's key is the file name without {@code .npy}.
 */
public final class NpyFile implements ArraySource {
    private static final int BUFFER = 1 << 16;

    private final Path file;
    private final ArrayInfo info;

    private NpyFile(Path file, ArrayInfo info) {
        this.file = file;
        this.info = info;
    }

    /**
     * Reads the header and checks that the file is exactly as long as the header says.
     *
     * @throws InvalidDataException when the header is unreadable or the file is truncated or too long
     */
    public static NpyFile open(Path file) {
        String key = keyOf(file);
        try (InputStream in = Files.newInputStream(file)) {
            NpyHeader h = NpyHeader.read(in, key);
            long expected = h.payloadOffset() + h.payloadBytes();
            long size = Files.size(file);
            if (size < expected) {
                throw new InvalidDataException("array '" + key + "' is truncated: '" + file + "' holds " + size
                        + " bytes, its header (" + h + ") needs " + expected);
            }
            if (size > expected) {
                throw new InvalidDataException("array '" + key + "': '" + file + "' holds " + (size - expected)
                        + " bytes more than its header (" + h + ") describes");
            }
            return new NpyFile(file, h.info(key));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    private static String keyOf(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
    }

    public ArrayInfo info() {
        return info;
    }

    @Override
    public DataFormat format() {
        return DataFormat.NPY;
    }

    @Override
    public List<ArrayInfo> arrays() {
        return List.of(info);
    }

    @Override
    public NpyRowReader rows(String name) {
        if (!name.equals(info.name())) {
            throw new InvalidDataException("'" + file + "' holds array '" + info.name() + "', not '" + name + "'");
        }
        try {
            return NpyRowReader.open(new BufferedInputStream(Files.newInputStream(file), BUFFER), name);
        } catch (IOException e) {
            throw new UncheckedIOException("opening " + file, e);
        }
    }

    /** The whole array in memory; for small arrays and tests. */
    public Tensor read() {
        try (NpyRowReader r = rows(info.name())) {
            return r.readRest();
        }
    }

    @Override
    public void close() {
        // Each reader owns its own stream; nothing is held open between reads.
    }
}
