package io.quantserve.engine.onnx;

import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.onnx.proto.Onnx.StringStringEntryProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads ONNX external data ({@code location}, {@code offset}, {@code length} entries of a tensor).
 *
 * <p>Security contract: a location is a relative path that stays inside the model's folder. Absolute paths,
 * {@code ..} segments, and symbolic links that resolve outside the folder are refused, so a crafted model
 * cannot make the engine read arbitrary files.
 */
public final class ExternalData {
    private ExternalData() {}

    /** The {@code external_data} entry named {@code key}, or null. */
    static String entry(TensorProto t, String key) {
        for (StringStringEntryProto e : t.getExternalDataList()) {
            if (e.getKey().equals(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Resolves and checks a tensor's location against {@code baseDir}. */
    public static Path resolve(TensorProto t, Path baseDir) {
        String location = entry(t, "location");
        if (location == null || location.isEmpty()) {
            throw new InvalidModelException("tensor '" + t.getName() + "' is external but names no location");
        }
        if (baseDir == null) {
            throw new InvalidModelException("tensor '" + t.getName() + "' has external data '" + location
                    + "' but the model was not loaded from a folder");
        }
        Path rel = Path.of(location.replace('\\', '/'));
        if (rel.isAbsolute() || location.startsWith("/") || location.matches("^[A-Za-z]:.*")) {
            throw new InvalidModelException("tensor '" + t.getName() + "': external data location '" + location
                    + "' is absolute; only paths inside the model's folder are allowed");
        }
        for (Path part : rel) {
            if (part.toString().equals("..")) {
                throw new InvalidModelException("tensor '" + t.getName() + "': external data location '" + location
                        + "' leaves the model's folder");
            }
        }
        Path base = baseDir.toAbsolutePath().normalize();
        Path file = base.resolve(rel).normalize();
        if (!file.startsWith(base)) {
            throw new InvalidModelException("tensor '" + t.getName() + "': external data location '" + location
                    + "' leaves the model's folder");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidModelException(
                    "tensor '" + t.getName() + "': external data file '" + location + "' not found next to the model");
        }
        try {
            if (!file.toRealPath().startsWith(base.toRealPath())) {
                throw new InvalidModelException("tensor '" + t.getName() + "': external data location '" + location
                        + "' is a link that leaves the model's folder");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The tensor's bytes, exactly {@code length} (or up to the end of file when absent). */
    public static byte[] read(TensorProto t, Path baseDir) {
        Path file = resolve(t, baseDir);
        long offset = parseLong(t, "offset", 0);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long length = parseLong(t, "length", size - offset);
            if (offset < 0 || length < 0 || offset + length > size) {
                throw new InvalidModelException("tensor '" + t.getName() + "': external data [" + offset + ", "
                        + (offset + length) + ") lies outside '" + file.getFileName() + "' (" + size + " bytes)");
            }
            if (length > Integer.MAX_VALUE - 16) {
                throw new InvalidModelException("tensor '" + t.getName() + "' is larger than 2 GiB");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) length);
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    throw new InvalidModelException("tensor '" + t.getName() + "': external data truncated");
                }
            }
            return buf.array();
        } catch (IOException e) {
            throw new UncheckedIOException("reading external data of tensor '" + t.getName() + "'", e);
        }
    }

    private static long parseLong(TensorProto t, String key, long fallback) {
        String v = entry(t, key);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidModelException(
                    "tensor '" + t.getName() + "': external data " + key + " '" + v + "' is not a number");
        }
    }
}
