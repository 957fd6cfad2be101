package io.quantserve.service.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * What the store knows about one object.
 *
 * @param key the object's key
 * @param size length in bytes
 * @param etag an opaque tag that changes whenever the object is replaced, without quotes
 * @param lastModified when the object was last written
 */
public record ObjectInfo(String key, long size, String etag, Instant lastModified) {
    public ObjectInfo {
        Objects.requireNonNull(key);
        Objects.requireNonNull(etag);
        Objects.requireNonNull(lastModified);
        if (size < 0) throw new IllegalArgumentException("size of '" + key + "' is negative: " + size);
    }
}
