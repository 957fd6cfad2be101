package io.quantserve.service.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where models, datasets and artefacts live. Keys are {@code /}-separated paths of segments made of letters, digits,
 * {@code .}, {@code _} and {@code -} (see {@link ObjectKeys}); callers put the tenant first
 * ({@code {tenant}/models/{id}/model.onnx}).
 *
 * <p>Every method streams: content goes from the given stream to the backend and from the backend to the returned
 * stream in bounded buffers. Failures of the backend are {@link StorageException}s; a missing object on
 * {@link #get} is an {@link ObjectNotFoundException}.
 */
public interface ObjectStore {

    /** What backs the store, for health details and logs (e.g. {@code S3ObjectStore}). */
    default String kind() {
        return getClass().getSimpleName();
    }

    /**
     * Stores {@code content} under {@code key}, replacing any object there. Readers see the old object or the new
     * one, never a partial one.
     *
     * @param size the number of bytes {@code content} holds, or {@code -1} when unknown (the stream is read to its
     *     end); a stream whose length differs from a stated size fails the put
     * @param contentType the media type served with the object (e.g. by a presigned URL)
     * @return the stored object
     */
    ObjectInfo put(String key, InputStream content, long size, String contentType);

    /** Stores a local file, streamed; see {@link #put(String, InputStream, long, String)}. */
    default ObjectInfo put(String key, Path file, String contentType) {
        try (InputStream in = Files.newInputStream(file)) {
            return put(key, in, Files.size(file), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    /**
     * Opens an object for reading; the caller closes the returned content.
     *
     * @param range the bytes wanted, or {@code null} for all of them; a range must start inside the object (resolve
     *     HTTP ranges against {@link #stat} first), its end is clamped to the object's size
     * @throws ObjectNotFoundException when nothing is stored under {@code key}
     */
    ObjectContent get(String key, @Nullable ByteRange range);

    /** Size, entity tag and modification time of an object; empty when nothing is stored under {@code key}. */
    Optional<ObjectInfo> stat(String key);

    /** Removes an object; removing a missing object is not an error. */
    void delete(String key);

    /** Every object whose key starts with {@code prefix}, at any depth, in key order. */
    List<ObjectInfo> list(String prefix);

    /** Removes every object under {@code prefix} (e.g. {@code t/models/42/}). */
    default void deleteAll(String prefix) {
        for (ObjectInfo info : list(prefix)) {
            delete(info.key());
        }
    }

    /**
     * A URL from which anyone holding it can GET the object for {@code validity} (at most seven days), without an
     * API key; empty when the backend cannot sign URLs (the filesystem store), in which case callers stream the
     * object themselves.
     */
    Optional<URI> presignedGet(String key, Duration validity);
}
