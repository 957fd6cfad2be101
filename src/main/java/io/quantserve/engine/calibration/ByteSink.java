package io.quantserve.engine.calibration;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Little-endian fixed-width integers, unsigned LEB128 varints and length-prefixed UTF-8 strings into a byte array. */
final class ByteSink {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);

    void u8(int v) {
        out.write(v);
    }

    void u32(int v) {
        for (int i = 0; i < 4; i++) out.write(v >>> (8 * i));
    }

    void u64(long v) {
        for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)));
    }

    /** An unsigned varint: 7 bits per byte, low bits first, high bit set on every byte but the last. */
    void varint(long v) {
        if (v < 0) throw new IllegalArgumentException("negative varint " + v);
        while (v >= 0x80) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        varint(b.length);
        out.write(b, 0, b.length);
    }

    void bytes(byte[] b) {
        out.write(b, 0, b.length);
    }

    int size() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
