package io.quantserve.service.storage;

/**
 * A contiguous part of an object: {@code length} bytes from byte {@code offset} (0-based), or everything from
 * {@code offset} on when {@code length} is {@link #TO_END}.
 */
public record ByteRange(long offset, long length) {
    /** {@link #length()} of a range that runs to the end of the object. */
    public static final long TO_END = -1;

    public ByteRange {
        if (offset < 0) throw new IllegalArgumentException("range offset is negative: " + offset);
        if (length < 0 && length != TO_END) {
            throw new IllegalArgumentException("range length is negative: " + length);
        }
    }

    /** The bytes from {@code offset} to the end. */
    public static ByteRange from(long offset) {
        return new ByteRange(offset, TO_END);
    }

    /** The bytes {@code first} to {@code last}, both included, as in an HTTP {@code Range} header. */
    public static ByteRange closed(long first, long last) {
        if (last < first) throw new IllegalArgumentException("range " + first + "-" + last + " is empty");
        return new ByteRange(first, last - first + 1);
    }

    /** How many bytes this range covers of an object of {@code size} bytes. */
    public long lengthWithin(long size) {
        long available = Math.max(0, size - offset);
        return length == TO_END ? available : Math.min(length, available);
    }
}
