package io.quantserve.service.web;

import org.springframework.util.unit.DataSize;

/** An upload exceeds the configured limit; answered with 413 {@code payload-too-large}. */
public final class PayloadTooLargeException extends RuntimeException {
    public PayloadTooLargeException(String what, DataSize limit) {
        super(what + " exceeds the upload limit of " + limit.toBytes() + " bytes (" + readable(limit) + ")");
    }

    private static String readable(DataSize size) {
        long bytes = size.toBytes();
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) return (bytes >> 30) + " GiB";
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) return (bytes >> 20) + " MiB";
        if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) return (bytes >> 10) + " KiB";
        return bytes + " B";
    }
}
