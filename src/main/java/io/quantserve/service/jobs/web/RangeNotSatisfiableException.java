package io.quantserve.service.jobs.web;

import org.jspecify.annotations.Nullable;

/** A {@code Range} starts past the end of the artefact; answered 416 with {@code Content-Range: bytes *}{@code /size}. */
final class RangeNotSatisfiableException extends RuntimeException {
    private final long size;

    RangeNotSatisfiableException(@Nullable String range, String name, long size) {
        super("range '" + range + "' lies outside '" + name + "' (" + size + " bytes)");
        this.size = size;
    }

    /** The artefact's size in bytes. */
    long size() {
        return size;
    }
}
