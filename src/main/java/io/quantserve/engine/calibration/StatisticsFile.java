package io.quantserve.engine.calibration;

import io.quantserve.engine.InvalidDataException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * {@code statistics.bin}: {@link CalibrationStatistics} as compact, deterministic bytes (the same statistics always
 * give the same file), validated when read.
 *
 * <p>Layout (version 1; fixed-width integers little-endian):
 *
 * <pre>
 * magic     8 bytes  "QSSTATS" 0x1A
 * version   u32      1
 * length    u64      payload bytes
 * payload            {@link StatisticsCodec}: grid, provenance, then per tensor its name, readers, count, exact
 *                    min/max (float bits) and the non-zero counters of each allocated block
 * checksum  u32      CRC-32C of everything before it
 * </pre>
 *
 * Only non-zero counters are stored (as gaps and counts in LEB128 varints), so the file, like the histograms, grows
 * with the bins the data touched, not with the number of samples.
 */
public final class StatisticsFile {
    /** The name of the file in a run's output folder. */
    public static final String FILE_NAME = "statistics.bin";

    /** The format version this engine writes and reads. */
    public static final int VERSION = 1;

    private static final byte[] MAGIC = {'Q', 'S', 'S', 'T', 'A', 'T', 'S', 0x1A};
    private static final int HEADER = MAGIC.length + 4 + 8;
    private static final int TRAILER = 4;

    private StatisticsFile() {}

    /** Writes {@code statistics} to {@code file}, replacing it. */
    public static void write(CalibrationStatistics statistics, Path file) {
        try {
            Files.write(file, encode(statistics));
        } catch (IOException e) {
            throw new UncheckedIOException("writing statistics to " + file, e);
        }
    }

    /**
     * Reads and validates {@code file}.
     *
     * @throws InvalidDataException when the file is missing, not a statistics file, of another version, truncated,
     *     corrupted (checksum) or inconsistent; the message names the file and, where it applies, the tensor
     */
    public static CalibrationStatistics read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidDataException("statistics file '" + file + "' does not exist");
        } catch (IOException e) {
            throw new InvalidDataException("statistics file '" + file + "' cannot be read: " + e.getMessage(), e);
        }
        return decode(bytes, file.toString());
    }

    /** The file's bytes for {@code statistics}. */
    public static byte[] encode(CalibrationStatistics statistics) {
        ByteSink payload = new ByteSink();
        StatisticsCodec.encode(statistics, payload);
        byte[] body = payload.toByteArray();
        ByteSink out = new ByteSink();
        out.bytes(MAGIC);
        out.u32(VERSION);
        out.u64(body.length);
        out.bytes(body);
        byte[] withoutChecksum = out.toByteArray();
        out.u32(checksum(withoutChecksum, withoutChecksum.length));
        return out.toByteArray();
    }

    /**
     * Parses the bytes of a statistics file.
     *
     * @param source the file name for error messages
     */
    public static CalibrationStatistics decode(byte[] bytes, String source) {
        if (bytes.length < MAGIC.length || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new InvalidDataException("'" + source + "' is not a QuantServe statistics file (no "
                    + new String(MAGIC, 0, 7, StandardCharsets.US_ASCII) + " header)");
        }
        if (bytes.length < HEADER) {
            throw new InvalidDataException("statistics file '" + source + "' is truncated: " + bytes.length
                    + " bytes, the header alone has " + HEADER);
        }
        ByteSource header = new ByteSource(bytes, MAGIC.length, HEADER, source);
        int version = header.u32();
        if (version != VERSION) {
            throw new InvalidDataException("statistics file '" + source + "' has format version "
                    + Integer.toUnsignedString(version) + "; this engine reads version " + VERSION
                    + " (recompute the statistics with quantize --data)");
        }
        long length = header.u64();
        long expected = HEADER + length + TRAILER;
        if (length < 0 || expected != bytes.length) {
            throw new InvalidDataException("statistics file '" + source + "' is "
                    + (length >= 0 && bytes.length < expected ? "truncated" : "of the wrong size") + ": "
                    + bytes.length + " bytes, its header announces " + (length < 0 ? "an invalid length" : expected));
        }
        int end = bytes.length - TRAILER;
        int stored = new ByteSource(bytes, end, bytes.length, source).u32();
        if (stored != checksum(bytes, end)) {
            throw new InvalidDataException("statistics file '" + source + "' is corrupted: its CRC-32C checksum does"
                    + " not match its contents");
        }
        ByteSource payload = new ByteSource(bytes, HEADER, end, source);
        CalibrationStatistics statistics = StatisticsCodec.decode(payload);
        if (payload.remaining() != 0) {
            throw payload.malformed(payload.remaining() + " unread byte(s) after the last tensor");
        }
        return statistics;
    }

    private static int checksum(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }
}
