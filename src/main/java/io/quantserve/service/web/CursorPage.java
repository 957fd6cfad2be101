package io.quantserve.service.web;

import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One page of a list ordered newest first.
 *
 * @param items the page, at most the limit asked for
 * @param next where the next page starts, or {@code null} on the last page
 */
public record CursorPage<T>(List<T> items, @Nullable Cursor next) {
    public CursorPage {
        items = List.copyOf(items);
    }

    /**
     * Cuts a page from rows fetched with {@code limit + 1}: the extra row only tells that a next page exists.
     *
     * @param position the cursor of a row
     */
    public static <T> CursorPage<T> of(List<T> fetched, int limit, Function<T, Cursor> position) {
        if (fetched.size() <= limit) return new CursorPage<>(fetched, null);
        List<T> page = fetched.subList(0, limit);
        return new CursorPage<>(page, position.apply(page.getLast()));
    }

    public <R> CursorPage<R> map(Function<T, R> f) {
        return new CursorPage<>(items.stream().map(f).toList(), next);
    }

    /** The {@code next_cursor} string, or {@code null}. */
    public @Nullable String nextCursor() {
        return next == null ? null : next.encode();
    }
}
