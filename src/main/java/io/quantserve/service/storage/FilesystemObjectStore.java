package io.quantserve.service.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Objects as files: key {@code a/b/c} is {@code <root>/objects/a/b/c}. A put writes {@code <root>/staging/} first and
 * moves the finished file into place atomically, so readers never see a partial object. The entity tag is derived
 * from the file's size, modification time and file identity, which all change when a put replaces the file. Cannot
 * sign URLs: {@link #presignedGet} is always empty.
 */
final class FilesystemObjectStore implements ObjectStore {
    private static final int BUFFER = 64 * 1024;

    private final Path objects;
    private final Path staging;

    FilesystemObjectStore(Path root) {
        Path absolute = root.toAbsolutePath().normalize();
        this.objects = absolute.resolve("objects");
        this.staging = absolute.resolve("staging");
        try {
            Files.createDirectories(objects);
            Files.createDirectories(staging);
        } catch (IOException e) {
            throw new StorageException("cannot create the storage folders under '" + absolute + "'", e);
        }
    }

    @Override
    public ObjectInfo put(String key, InputStream content, long size, String contentType) {
        Path target = file(key);
        Path tmp = null;
        try {
            tmp = Files.createTempFile(staging, "put-", ".part");
            long written;
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
                written = content.transferTo(out);
            }
            if (size >= 0 && written != size) {
                throw new StorageException(
                        "put '" + key + "': the stream held " + written + " bytes, " + size + " were announced");
            }
            place(tmp, target);
            tmp = null;
            return info(key, target);
        } catch (IOException e) {
            throw new StorageException("put '" + key + "' failed: " + e.getMessage(), e);
        } finally {
            if (tmp != null) deleteQuietly(tmp);
        }
    }

    @Override
    public ObjectContent get(String key, @Nullable ByteRange range) {
        Path file = file(key);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        } catch (IOException e) {
            throw new StorageException("get '" + key + "' failed: " + e.getMessage(), e);
        }
        try {
            ObjectInfo info = info(key, file);
            ByteRange wanted = range == null ? ByteRange.from(0) : range;
            if (wanted.offset() > 0 && wanted.offset() >= info.size()) {
                throw new IllegalArgumentException(
                        "range starts at " + wanted.offset() + ", past the end of '" + key + "' (" + info.size() + ")");
            }
            long length = wanted.lengthWithin(info.size());
            channel.position(wanted.offset());
            InputStream stream = new BoundedInputStream(Channels.newInputStream(channel), length);
            return new ObjectContent(info, wanted.offset(), length, stream);
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof RuntimeException r) throw r;
            throw new StorageException("get '" + key + "' failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        Path file = file(key);
        try {
            return Optional.of(info(key, file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("stat '" + key + "' failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) {
        Path file = file(key);
        try {
            Files.deleteIfExists(file);
            pruneEmptyParents(file.getParent());
        } catch (IOException e) {
            throw new StorageException("delete '" + key + "' failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        ObjectKeys.checkPrefix(prefix);
        int cut = prefix.lastIndexOf('/');
        Path start = cut < 0 ? objects : objects.resolve(prefix.substring(0, cut));
        if (!Files.isDirectory(start)) return List.of();
        try (Stream<Path> files = Files.walk(start)) {
            return files.filter(Files::isRegularFile)
                    .map(this::keyOf)
                    .filter(k -> k.startsWith(prefix))
                    .sorted()
                    .map(k -> stat(k).orElse(null))
                    .filter(Objects::nonNull)
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new StorageException("list '" + prefix + "' failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<URI> presignedGet(String key, Duration validity) {
        ObjectKeys.check(key);
        return Optional.empty();
    }

    private Path file(String key) {
        return objects.resolve(ObjectKeys.check(key));
    }

    private String keyOf(Path file) {
        return objects.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private static ObjectInfo info(String key, Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        String identity = a.size() + ":" + a.lastModifiedTime().toInstant() + ":" + a.fileKey();
        return new ObjectInfo(
                key, a.size(), etag(identity), a.lastModifiedTime().toInstant());
    }

    private static String etag(String identity) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Moves a finished staging file into place; retries once when a concurrent delete pruned the folder. */
    private static void place(Path from, Path to) throws IOException {
        try {
            Files.createDirectories(to.getParent());
            move(from, to);
        } catch (NoSuchFileException e) {
            Files.createDirectories(to.getParent());
            move(from, to);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void pruneEmptyParents(Path dir) throws IOException {
        Path d = dir;
        while (d != null && d.startsWith(objects) && !d.equals(objects)) {
            try {
                Files.deleteIfExists(d);
            } catch (DirectoryNotEmptyException e) {
                return;
            }
            d = d.getParent();
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the staging file is garbage either way; the put's own failure is what the caller needs to see
        }
    }

    /** Yields at most {@code remaining} bytes of the wrapped stream. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) return -1;
            int b = in.read();
            if (b >= 0) remaining--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, Math.min(remaining, BUFFER)));
            if (n > 0) remaining -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
