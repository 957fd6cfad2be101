package io.quantserve.engine.calibration;

import io.quantserve.engine.InvalidDataException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link ByteSink} wrote from {@code [from, to)} of a byte array. Every read is bounds-checked: running
 * past the end, an overlong varint or invalid UTF-8 is an {@link InvalidDataException} naming the file, the byte
 * offset and the current {@link #context}.
 */
final class ByteSource {
    private final byte[] data;
    private final int to;
    private final String file;
    private int position;
    private String context = "header";

    ByteSource(byte[] data, int from, int to, String file) {
        this.data = data;
        this.position = from;
        this.to = to;
        this.file = file;
    }

    /** What is being read, for error messages (e.g. {@code tensor 'x'}). */
    void context(String context) {
        this.context = context;
    }

    int remaining() {
        return to - position;
    }

    int u8() {
        need(1);
        return data[position++] & 0xff;
    }

    int u32() {
        need(4);
        int v = 0;
        for (int i = 0; i < 4; i++) v |= (data[position++] & 0xff) << (8 * i);
        return v;
    }

    long u64() {
        long low = u32() & 0xffffffffL;
        return low | ((long) u32() << 32);
    }

    long varint() {
        long v = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            int b = u8();
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw malformed("varint longer than 63 bits");
    }

    /** A varint that must lie in {@code [min, max]}; {@code what} names it in the error. */
    int intIn(String what, int min, int max) {
        long v = varint();
        if (v < min || v > max) throw malformed(what + " " + v + " outside [" + min + ", " + max + "]");
        return (int) v;
    }

    String string(String what) {
        int length = intIn(what + " length", 0, remaining());
        try {
            String s = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, position, length))
                    .toString();
            position += length;
            return s;
        } catch (CharacterCodingException e) {
            throw malformed(what + " is not valid UTF-8");
        }
    }

    InvalidDataException malformed(String message) {
        return new InvalidDataException(
                "statistics file '" + file + "' is malformed at byte " + position + " (" + context + "): " + message);
    }

    private void need(int n) {
        if (to - position < n)
            throw malformed("truncated: " + n + " more byte(s) needed, " + (to - position) + " left");
    }
}
