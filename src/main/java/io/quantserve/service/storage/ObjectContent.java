package io.quantserve.service.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * An object being read: its metadata, the part of it being read and the stream of that part. Closing releases the
 * file or connection behind the stream.
 *
 * @param info the whole object's metadata
 * @param offset where {@link #stream()} starts in the object
 * @param length how many bytes {@link #stream()} yields
 */
public record ObjectContent(ObjectInfo info, long offset, long length, InputStream stream) implements AutoCloseable {
    /** True when the content is a part of the object rather than all of it. */
    public boolean partial() {
        return offset > 0 || length < info.size();
    }

    @Override
    public void close() {
        try {
            stream.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing object '" + info.key() + "'", e);
        }
    }
}
