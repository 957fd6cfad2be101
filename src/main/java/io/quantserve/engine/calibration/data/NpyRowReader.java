package io.quantserve.engine.calibration.data;

import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.tensor.Tensor;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.ZipException;

/**
 * Reads one {@code .npy} array sequentially, a block of rows (first-axis entries) at a time, so memory is bounded by
 * the block asked for. Not thread-safe.
 */
public final class NpyRowReader implements AutoCloseable {
    /** Largest block a {@link Tensor} can hold (its bytes live in one {@link ByteBuffer}). */
    static final long MAX_BLOCK_BYTES = Integer.MAX_VALUE - 8;

    private final InputStream in;
    private final String array;
    private final NpyHeader header;
    private final long rows;
    private final long rowBytes;
    private long rowsRead;

    private NpyRowReader(InputStream in, String array, NpyHeader header) {
        this.in = in;
        this.array = array;
        this.header = header;
        long[] shape = header.shape();
        this.rows = shape.length == 0 ? 1 : shape[0];
        this.rowBytes = rows == 0 ? 0 : header.payloadBytes() / rows;
    }

    /**
     * Reads the header of the array at the start of {@code in} and positions the reader at its first row. The
     * reader owns the stream from then on.
     *
     * @param array the array's name, used in error messages
     */
    public static NpyRowReader open(InputStream in, String array) {
        try {
            return new NpyRowReader(in, array, NpyHeader.read(in, array));
        } catch (RuntimeException e) {
            closeQuietly(in, e);
            throw e;
        }
    }

    public NpyHeader header() {
        return header;
    }

    /** Length of the first axis (1 for a scalar array). */
    public long rowCount() {
        return rows;
    }

    public long rowsLeft() {
        return rows - rowsRead;
    }

    /**
     * The next {@code count} rows as a tensor of shape {@code [count, shape[1:]...]}.
     *
     * @throws IllegalArgumentException when fewer than {@code count} rows are left or the array is a scalar
     * @throws InvalidDataException when the file ends early or the compressed stream is corrupt, naming the array
     *     and the first row that could not be read
     */
    public Tensor next(int count) {
        long[] shape = header.shape();
        if (shape.length == 0) {
            throw new IllegalArgumentException("array '" + array + "' is a scalar and has no rows");
        }
        if (count < 0 || count > rowsLeft()) {
            throw new IllegalArgumentException(
                    "asked for " + count + " rows of array '" + array + "', " + rowsLeft() + " left");
        }
        shape[0] = count;
        return Tensor.ofBytes(header.type(), shape, readBlock(count * rowBytes, count));
    }

    /**
     * Every row not yet read, with the array's own shape when nothing was read before (scalars included). Meant for
     * small arrays; calibration streams rows with {@link #next}.
     */
    public Tensor readRest() {
        long[] shape = header.shape();
        long left = rowsLeft();
        if (shape.length > 0) {
            shape[0] = left;
        }
        return Tensor.ofBytes(header.type(), shape, readBlock(left * rowBytes, left));
    }

    private ByteBuffer readBlock(long bytes, long count) {
        if (bytes > MAX_BLOCK_BYTES) {
            throw new InvalidDataException(count + " rows of array '" + array + "' take " + bytes
                    + " bytes, more than one tensor can hold; read fewer rows at a time (smaller batch size)");
        }
        byte[] block;
        try {
            block = in.readNBytes((int) bytes);
        } catch (EOFException e) {
            throw truncated(block(count), e);
        } catch (ZipException e) {
            throw new InvalidDataException(
                    "array '" + array + "' is corrupt (compressed data unreadable near row " + rowsRead + "): "
                            + e.getMessage(),
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading array '" + array + "'", e);
        }
        if (block.length < bytes) {
            long firstMissing = rowsRead + (rowBytes == 0 ? 0 : block.length / rowBytes);
            throw truncated("row " + firstMissing, null);
        }
        rowsRead += count;
        return ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
    }

    private String block(long count) {
        return "rows " + rowsRead + ".." + (rowsRead + count - 1);
    }

    private InvalidDataException truncated(String where, Throwable cause) {
        String message = "array '" + array + "' is truncated: " + where + " of " + rows + " cannot be read in full ("
                + header.payloadBytes() + " payload bytes expected)";
        return cause == null ? new InvalidDataException(message) : new InvalidDataException(message, cause);
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing array '" + array + "'", e);
        }
    }

    private static void closeQuietly(InputStream in, RuntimeException failure) {
        try {
            in.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
