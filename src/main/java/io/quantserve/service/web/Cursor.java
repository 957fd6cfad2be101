package io.quantserve.service.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A position in a list ordered newest first ({@code created_at DESC, id DESC}): the last item a page returned.
 * Clients get it as an opaque {@code next_cursor} string and send it back as {@code ?cursor=}; the next page holds
 * the items strictly after it. Stable under inserts: new items appear on no later page.
 *
 * @param createdAt creation time of the last item, at the database's microsecond precision
 * @param id id of the last item, the tie-breaker for equal times
 */
public record Cursor(Instant createdAt, UUID id) {

    /** The opaque string form. */
    public String encode() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt);
        String plain = micros + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Reads a cursor sent by a client; {@code null} or empty means the first page.
     *
     * @throws BadRequestException when the string is not a cursor this service issued
     */
    public static @Nullable Cursor decode(@Nullable String text) {
        if (text == null || text.isEmpty()) return null;
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
            int colon = plain.indexOf(':');
            long micros = Long.parseLong(plain.substring(0, colon));
            return new Cursor(
                    Instant.EPOCH.plus(micros, ChronoUnit.MICROS), UUID.fromString(plain.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw new BadRequestException("cursor '" + text + "' is not a cursor returned by this API");
        }
    }
}
