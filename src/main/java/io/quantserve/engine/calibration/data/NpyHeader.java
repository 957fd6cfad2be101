package io.quantserve.engine.calibration.data;

import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.tensor.DataType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The header of a NumPy {@code .npy} array (format versions 1.0, 2.0 and 3.0): element type, shape, and how many
 * bytes precede the payload. Only C-order little-endian arrays are accepted.
 *
 * @param type element type
 * @param shape dimensions, row-major
 * @param payloadOffset bytes from the start of the file to the first element
 */
public record NpyHeader(DataType type, long[] shape, long payloadOffset) {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy aligns the payload to this many bytes. */
    private static final int ALIGN = 64;
    /** Spare room NumPy leaves after the header so the first axis can grow in place. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    /** Headers are a few hundred bytes; anything this large is a corrupt or hostile file. */
    private static final int MAX_HEADER_BYTES = 1 << 20;

    public NpyHeader {
        Objects.requireNonNull(type);
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Payload size in bytes (element count × element width). */
    public long payloadBytes() {
        return info("").byteSize();
    }

    /** The header as an {@link ArrayInfo} under the given name. */
    public ArrayInfo info(String name) {
        return new ArrayInfo(name, type, shape);
    }

    /**
     * Reads a header from the start of {@code in}, leaving the stream at the first payload byte.
     *
     * @param array the array's name, used in error messages
     * @throws InvalidDataException when the bytes are not a readable {@code .npy} header (bad magic, unknown
     *     version, truncated, Fortran order, big-endian or unsupported dtype, negative or overflowing shape)
     */
    public static NpyHeader read(InputStream in, String array) {
        try {
            byte[] magic = in.readNBytes(MAGIC.length + 2);
            if (magic.length < MAGIC.length + 2 || !Arrays.equals(magic, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                throw new InvalidDataException("array '" + array + "' is not a NumPy .npy array (bad magic bytes)");
            }
            int major = magic[6];
            int lengthBytes = switch (major) {
                case 1 -> 2;
                case 2, 3 -> 4;
                default ->
                    throw new InvalidDataException("array '" + array + "' uses .npy format version " + major + "."
                            + magic[7] + "; versions 1.0, 2.0 and 3.0 are read");
            };
            byte[] len = in.readNBytes(lengthBytes);
            if (len.length < lengthBytes) {
                throw truncatedHeader(array);
            }
            long headerLength = 0;
            for (int i = lengthBytes - 1; i >= 0; i--) {
                headerLength = (headerLength << 8) | (len[i] & 0xff);
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw new InvalidDataException(
                        "array '" + array + "' declares a " + headerLength + "-byte .npy header; refusing it");
            }
            byte[] header = in.readNBytes((int) headerLength);
            if (header.length < headerLength) {
                throw truncatedHeader(array);
            }
            String text = new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            return parse(text, array, MAGIC.length + 2 + lengthBytes + headerLength);
        } catch (IOException e) {
            throw new InvalidDataException("array '" + array + "': cannot read its .npy header: " + e.getMessage(), e);
        }
    }

    private static InvalidDataException truncatedHeader(String array) {
        return new InvalidDataException("array '" + array + "' is truncated: the file ends inside its .npy header");
    }

    private static NpyHeader parse(String text, String array, long payloadOffset) {
        Object literal;
        try {
            literal = PyLiteral.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidDataException(
                    "array '" + array + "' has an unreadable .npy header (" + e.getMessage() + "): " + text.strip());
        }
        if (!(literal instanceof Map<?, ?> dict)) {
            throw new InvalidDataException("array '" + array + "': the .npy header is not a dict: " + text.strip());
        }
        Object descr = dict.get("descr");
        Object fortran = dict.get("fortran_order");
        Object shape = dict.get("shape");
        if (descr == null || fortran == null || shape == null) {
            throw new InvalidDataException("array '" + array
                    + "': the .npy header lacks one of 'descr', 'fortran_order', 'shape': " + text.strip());
        }
        if (!(descr instanceof String d)) {
            throw new InvalidDataException(
                    "array '" + array + "' has a structured dtype " + descr + "; only plain numeric arrays are read");
        }
        DataType type = NpyDtypes.parse(d, array);
        if (Boolean.TRUE.equals(fortran)) {
            throw new InvalidDataException("array '" + array
                    + "' is stored in Fortran (column-major) order; re-save it in C order, e.g."
                    + " np.save(f, np.ascontiguousarray(a))");
        }
        if (!Boolean.FALSE.equals(fortran)) {
            throw new InvalidDataException("array '" + array + "': 'fortran_order' is " + fortran + ", not a bool");
        }
        if (!(shape instanceof List<?> dims)) {
            throw new InvalidDataException("array '" + array + "': 'shape' is " + shape + ", not a tuple");
        }
        long[] s = new long[dims.size()];
        for (int i = 0; i < s.length; i++) {
            if (!(dims.get(i) instanceof Long v) || v < 0) {
                throw new InvalidDataException("array '" + array + "' has an invalid shape " + shape);
            }
            s[i] = v;
        }
        NpyHeader h = new NpyHeader(type, s, payloadOffset);
        try {
            h.payloadBytes();
        } catch (ArithmeticException e) {
            throw new InvalidDataException(
                    "array '" + array + "' declares a shape " + Arrays.toString(s) + " too large to address");
        }
        return h;
    }

    /**
     * The header bytes NumPy itself writes for this type and shape (version 1.0 unless the header needs more than
     * 65535 bytes), padded so the payload starts on a 64-byte boundary.
     */
    public static byte[] encode(DataType type, long[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '")
                .append(NpyDtypes.descr(type))
                .append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            dict.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        dict.append(shape.length == 1 ? ",), }" : "), }");
        if (shape.length > 0) {
            dict.repeat(' ', GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length());
        }
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        int withNewline = text.length + 1;
        int lengthBytes = 2;
        int headerLength = withNewline + padding(MAGIC.length + 2 + lengthBytes + withNewline);
        if (headerLength > 0xffff) {
            lengthBytes = 4;
            headerLength = withNewline + padding(MAGIC.length + 2 + lengthBytes + withNewline);
        }
        int prefix = MAGIC.length + 2 + lengthBytes;
        int pad = headerLength - withNewline;
        ByteArrayOutputStream out = new ByteArrayOutputStream(prefix + headerLength);
        out.writeBytes(MAGIC);
        out.write(lengthBytes == 2 ? 1 : 2);
        out.write(0);
        for (int i = 0; i < lengthBytes; i++) {
            out.write((headerLength >>> (8 * i)) & 0xff);
        }
        out.writeBytes(text);
        for (int i = 0; i < pad; i++) {
            out.write(' ');
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** Spaces NumPy adds so the payload is aligned; a full {@link #ALIGN} when already aligned, as NumPy does. */
    private static int padding(int unpadded) {
        return ALIGN - (unpadded % ALIGN);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyHeader h
                && type == h.type
                && payloadOffset == h.payloadOffset
                && Arrays.equals(shape, h.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, payloadOffset, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return "npy " + type.displayName() + Arrays.toString(shape);
    }
}
