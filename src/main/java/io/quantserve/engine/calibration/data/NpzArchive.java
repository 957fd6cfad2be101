package io.quantserve.engine.calibration.data;

import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A NumPy {@code .npz} archive (a zip of {@code .npy} members, stored or deflated, zip64 included). Opening it
 * reads the zip directory and each member's {@code .npy} header, nothing more; {@link #rows} then streams one
 * member sequentially. Keys are member names without {@code .npy}; members with other names are ignored. Reading is
 * thread-safe, each {@link NpyRowReader} is not.
 */
public final class NpzArchive implements ArraySource {
    private static final String SUFFIX = ".npy";

    private final Path file;
    private final ZipFile zip;
    private final Map<String, ZipEntry> entries;
    private final List<ArrayInfo> arrays;

    private NpzArchive(Path file, ZipFile zip, Map<String, ZipEntry> entries, List<ArrayInfo> arrays) {
        this.file = file;
        this.zip = zip;
        this.entries = entries;
        this.arrays = arrays;
    }

    /**
     * Opens an archive and reads every member's header.
     *
     * @throws InvalidDataException when the file is not a zip (or is cut short, which loses the zip directory), a
     *     member is not a readable {@code .npy} array, or a member's size disagrees with its header
     */
    public static NpzArchive open(Path file) {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new InvalidDataException(
                    "'" + file + "' is not a readable .npz (zip) archive, it may be truncated: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("opening " + file, e);
        }
        try {
            Map<String, ZipEntry> entries = new LinkedHashMap<>();
            List<ArrayInfo> arrays = new ArrayList<>();
            Enumeration<? extends ZipEntry> all = zip.entries();
            while (all.hasMoreElements()) {
                ZipEntry entry = all.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || !name.endsWith(SUFFIX)) {
                    continue;
                }
                String key = name.substring(0, name.length() - SUFFIX.length());
                if (entries.putIfAbsent(key, entry) != null) {
                    throw new InvalidDataException("'" + file + "' holds array '" + key + "' twice");
                }
                arrays.add(header(zip, entry, key));
            }
            return new NpzArchive(file, zip, entries, List.copyOf(arrays));
        } catch (RuntimeException e) {
            try {
                zip.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static ArrayInfo header(ZipFile zip, ZipEntry entry, String key) {
        NpyHeader h;
        try (InputStream in = zip.getInputStream(entry)) {
            h = NpyHeader.read(in, key);
        } catch (ZipException e) {
            throw new InvalidDataException("array '" + key + "' is corrupt: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the header of array '" + key + "'", e);
        }
        long expected = h.payloadOffset() + h.payloadBytes();
        if (entry.getSize() >= 0 && entry.getSize() < expected) {
            throw new InvalidDataException("array '" + key + "' is truncated: its member holds " + entry.getSize()
                    + " bytes, its header (" + h + ") needs " + expected);
        }
        if (entry.getSize() > expected) {
            throw new InvalidDataException("array '" + key + "' holds " + (entry.getSize() - expected)
                    + " bytes more than its header (" + h + ") describes; the member is corrupt");
        }
        return h.info(key);
    }

    public Path file() {
        return file;
    }

    @Override
    public DataFormat format() {
        return DataFormat.NPZ;
    }

    @Override
    public List<ArrayInfo> arrays() {
        return arrays;
    }

    @Override
    public NpyRowReader rows(String key) {
        ZipEntry entry = entries.get(key);
        if (entry == null) {
            throw new InvalidDataException("'" + file + "' has no array '" + key + "'; it holds " + entries.keySet());
        }
        try {
            return NpyRowReader.open(zip.getInputStream(entry), key);
        } catch (IOException e) {
            throw new UncheckedIOException("opening array '" + key + "' of " + file, e);
        }
    }

    /** The whole array in memory; for small arrays and tests (calibration streams with {@link #rows}). */
    public Tensor read(String key) {
        try (NpyRowReader r = rows(key)) {
            return r.readRest();
        }
    }

    @Override
    public void close() {
        try {
            zip.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing " + file, e);
        }
    }
}
