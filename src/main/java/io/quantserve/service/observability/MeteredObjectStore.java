package io.quantserve.service.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quantserve.service.storage.ByteRange;
import io.quantserve.service.storage.ObjectContent;
import io.quantserve.service.storage.ObjectInfo;
import io.quantserve.service.storage.ObjectStore;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ObjectStore} that counts the bytes of every completed put in
 * {@code quantserve_storage_bytes_written_total{kind}}, kind being what the key holds ({@code models},
 * {@code datasets}, {@code jobs} for artefacts, {@code other}). A put that fails counts nothing; every other call goes
 * straight to the wrapped store.
 */
final class MeteredObjectStore implements ObjectStore {
    static final String BYTES_WRITTEN = "quantserve.storage.bytes.written";
    private static final Set<String> KINDS = Set.of("models", "datasets", "jobs");

    private final ObjectStore delegate;
    private final Supplier<MeterRegistry> registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /** @param registry looked up at the first put (the store is made before the registry is configured) */
    MeteredObjectStore(ObjectStore delegate, Supplier<MeterRegistry> registry) {
        this.delegate = delegate;
        this.registry = registry;
    }

    /** The wrapped store. */
    ObjectStore delegate() {
        return delegate;
    }

    @Override
    public String kind() {
        return delegate.kind();
    }

    @Override
    public ObjectInfo put(String key, InputStream content, long size, String contentType) {
        return counted(delegate.put(key, content, size, contentType));
    }

    @Override
    public ObjectInfo put(String key, Path file, String contentType) {
        return counted(delegate.put(key, file, contentType));
    }

    @Override
    public ObjectContent get(String key, @Nullable ByteRange range) {
        return delegate.get(key, range);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return delegate.stat(key);
    }

    @Override
    public void delete(String key) {
        delegate.delete(key);
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public void deleteAll(String prefix) {
        delegate.deleteAll(prefix);
    }

    @Override
    public Optional<URI> presignedGet(String key, Duration validity) {
        return delegate.presignedGet(key, validity);
    }

    @Override
    public String toString() {
        return delegate.toString();
    }

    private ObjectInfo counted(ObjectInfo stored) {
        counters.computeIfAbsent(
                        kind(stored.key()),
                        k -> Counter.builder(BYTES_WRITTEN)
                                .description("Bytes stored in the object store by completed puts")
                                .tag("kind", k)
                                .register(registry.get()))
                .increment(stored.size());
        return stored;
    }

    /** The second segment of {@code {tenant}/{kind}/…} when it is a known kind, else {@code other}. */
    static String kind(String key) {
        String[] segments = key.split("/", 3);
        return segments.length > 2 && KINDS.contains(segments[1]) ? segments[1] : "other";
    }
}
