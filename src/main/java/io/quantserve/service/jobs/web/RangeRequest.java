package io.quantserve.service.jobs.web;

import io.quantserve.service.storage.ByteRange;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A single-range HTTP {@code Range} header ({@code bytes=first-last}, {@code bytes=first-}, {@code bytes=-suffix})
 * resolved against an object of known size, as RFC 9110 §14 reads it: a header that is not a single byte range is
 * ignored (the whole object is sent), a range that starts past the end is unsatisfiable (416), a last position past
 * the end is clamped.
 */
final class RangeRequest {
    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    /** The outcome of resolving a header. */
    sealed interface Outcome permits Whole, Part, Unsatisfiable {}

    /** Send the whole object (no header, or one this server ignores). */
    record Whole() implements Outcome {}

    /** Send bytes {@code first} to {@code last} (both included) with 206. */
    record Part(long first, long last) implements Outcome {
        ByteRange range() {
            return ByteRange.closed(first, last);
        }

        long length() {
            return last - first + 1;
        }
    }

    /** Answer 416 with {@code Content-Range: bytes *}{@code /size}. */
    record Unsatisfiable() implements Outcome {}

    private RangeRequest() {}

    static Outcome resolve(@Nullable String header, long size) {
        if (header == null) return new Whole();
        Matcher m = SINGLE.matcher(header.strip());
        if (!m.matches()) return new Whole();
        Optional<Long> first = number(m.group(1));
        Optional<Long> last = number(m.group(2));
        if (first.isEmpty() && last.isEmpty()) return new Whole();
        if (first.isEmpty()) {
            long suffix = last.get();
            if (suffix == 0 || size == 0) return new Unsatisfiable();
            return new Part(Math.max(0, size - suffix), size - 1);
        }
        if (last.isPresent() && last.get() < first.get()) return new Whole();
        if (first.get() >= size) return new Unsatisfiable();
        long end = last.isEmpty() ? size - 1 : Math.min(last.get(), size - 1);
        return new Part(first.get(), end);
    }

    private static Optional<Long> number(String digits) {
        if (digits.isEmpty()) return Optional.empty();
        try {
            return Optional.of(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            return Optional.of(Long.MAX_VALUE);
        }
    }
}
