package io.quantserve.service.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link ObjectStore} adapter must do; one subclass per adapter. */
abstract class ObjectStoreContract {
    /** 12 MiB: more than two parts of the smallest S3 part size, so a put of unknown length is a multipart upload. */
    static final int LARGE = 12 * 1024 * 1024;

    final String prefix = "contract-" + UUID.randomUUID().toString().substring(0, 8) + "/";

    abstract ObjectStore store();

    @Test
    void putThenGetReturnsTheSameBytes() throws IOException {
        byte[] bytes = bytes(1, 4096);
        ObjectInfo put = store().put(
                        prefix + "a.bin", new ByteArrayInputStream(bytes), bytes.length, "application/octet-stream");

        assertThat(put.key()).isEqualTo(prefix + "a.bin");
        assertThat(put.size()).isEqualTo(bytes.length);
        assertThat(put.etag()).isNotEmpty();
        try (ObjectContent content = store().get(prefix + "a.bin", null)) {
            assertThat(content.partial()).isFalse();
            assertThat(content.length()).isEqualTo(bytes.length);
            assertThat(content.stream().readAllBytes()).isEqualTo(bytes);
        }
    }

    @Test
    void putOfUnknownLengthStreamsALargeObject() throws Exception {
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        InputStream generated = new DigestInputStream(new Generated(7, LARGE), sent);

        ObjectInfo info = store().put(prefix + "large.bin", generated, -1, "application/octet-stream");

        assertThat(info.size()).isEqualTo(LARGE);
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        try (ObjectContent content = store().get(prefix + "large.bin", null)) {
            content.stream().transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), received));
        }
        assertThat(HexFormat.of().formatHex(received.digest()))
                .isEqualTo(HexFormat.of().formatHex(sent.digest()));
    }

    @Test
    void rangesReturnTheRequestedBytes() throws IOException {
        byte[] bytes = bytes(2, 1000);
        store().put(prefix + "r.bin", new ByteArrayInputStream(bytes), bytes.length, "application/octet-stream");

        try (ObjectContent middle = store().get(prefix + "r.bin", ByteRange.closed(100, 199))) {
            assertThat(middle.partial()).isTrue();
            assertThat(middle.offset()).isEqualTo(100);
            assertThat(middle.length()).isEqualTo(100);
            assertThat(middle.stream().readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 100, 200));
        }
        try (ObjectContent tail = store().get(prefix + "r.bin", ByteRange.from(990))) {
            assertThat(tail.stream().readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 990, 1000));
        }
        try (ObjectContent clamped = store().get(prefix + "r.bin", new ByteRange(995, 100))) {
            assertThat(clamped.length()).isEqualTo(5);
            assertThat(clamped.stream().readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 995, 1000));
        }
        assertThatThrownBy(() -> store().get(prefix + "r.bin", ByteRange.from(1000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("past the end");
    }

    @Test
    void etagChangesWhenTheObjectIsReplaced() {
        String key = prefix + "e.bin";
        String first = store().put(key, new ByteArrayInputStream(bytes(3, 64)), 64, "application/octet-stream")
                .etag();
        String second = store().put(key, new ByteArrayInputStream(bytes(4, 64)), 64, "application/octet-stream")
                .etag();

        assertThat(second).isNotEqualTo(first);
        assertThat(store().stat(key)).get().extracting(ObjectInfo::etag).isEqualTo(second);
    }

    @Test
    void missingObjectsAreReportedAsMissing() {
        String key = prefix + "missing.bin";
        assertThat(store().stat(key)).isEmpty();
        assertThatThrownBy(() -> store().get(key, null))
                .isInstanceOf(ObjectNotFoundException.class)
                .hasMessageContaining(key);
        store().delete(key);
    }

    @Test
    void listIsRecursiveAndInKeyOrderAndDeleteAllEmptiesAPrefix() {
        for (String k : List.of("a/b/3", "a/1", "a/b/2", "ab/4")) {
            store().put(prefix + k, new ByteArrayInputStream(new byte[] {1}), 1, "application/octet-stream");
        }

        assertThat(store().list(prefix + "a/").stream().map(ObjectInfo::key))
                .containsExactly(prefix + "a/1", prefix + "a/b/2", prefix + "a/b/3");
        assertThat(store().list(prefix + "a/b/")).hasSize(2);

        store().deleteAll(prefix + "a/");
        assertThat(store().list(prefix).stream().map(ObjectInfo::key)).containsExactly(prefix + "ab/4");
        store().delete(prefix + "ab/4");
        assertThat(store().list(prefix)).isEmpty();
    }

    @Test
    void aStreamShorterThanAnnouncedFailsThePut() {
        String key = prefix + "short.bin";
        assertThatThrownBy(
                        () -> store().put(key, new ByteArrayInputStream(new byte[5]), 10, "application/octet-stream"))
                .isInstanceOf(StorageException.class);
        assertThat(store().stat(key)).isEmpty();
    }

    @Test
    void keysThatCouldEscapeAreRefused() {
        for (String bad : List.of("", "../x", "/abs", "a//b", "a/./b", "a/../b", "a b", "a/")) {
            assertThatThrownBy(() -> store().stat(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    static byte[] bytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** {@code length} pseudo-random bytes, produced on demand so that the test holds none of them. */
    static final class Generated extends InputStream {
        private final Random random;
        private long remaining;

        Generated(long seed, long length) {
            this.random = new Random(seed);
            this.remaining = length;
        }

        @Override
        public int read() {
            if (remaining <= 0) return -1;
            remaining--;
            return random.nextInt(256);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining <= 0) return -1;
            int n = (int) Math.min(len, remaining);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, b, off, n);
            remaining -= n;
            return n;
        }
    }
}
