package io.quantserve.service.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real backing services of the service tests, started once per JVM on first use: PostgreSQL
 * ({@link TestPostgres}) and an S3 server ({@link S3ProxyServer}). As a JUnit extension it registers them in the root
 * context's store, which stops them when the whole test run ends.
 */
public final class TestBackends implements BeforeAllCallback {
    private static @Nullable Running running;
    private static final java.util.Set<AutoCloseable> dependents = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Closes {@code dependent} (an application context with background threads using the backends) before the
     * backends stop at the end of the run, so that it does not fail against a dropped database.
     */
    public static void closeBefore(AutoCloseable dependent) {
        dependents.add(dependent);
    }

    /** What the tests connect to. */
    public record Running(TestPostgres postgres, S3ProxyServer s3, Path workDir) implements AutoCloseable {
        public String jdbcUrl() {
            return postgres.jdbcUrl();
        }

        public String dbUser() {
            return postgres.username();
        }

        public URI s3Endpoint() {
            return s3.endpoint();
        }

        public String s3AccessKey() {
            return S3ProxyServer.ACCESS_KEY;
        }

        public String s3SecretKey() {
            return S3ProxyServer.SECRET_KEY;
        }

        @Override
        public void close() {
            try (postgres;
                    s3) {
                // both closed in reverse order, even if one fails
            } finally {
                deleteTree(workDir);
            }
        }
    }

    private static void deleteTree(Path folder) {
        try (var paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + folder, e);
        }
    }

    /** Starts the backends if this JVM has not yet, and returns them. */
    public static synchronized Running get() {
        if (running == null) {
            try {
                Path work = Files.createTempDirectory("quantserve-backends-");
                S3ProxyServer s3 = S3ProxyServer.start(work);
                TestPostgres pg;
                try {
                    pg = TestPostgres.start();
                } catch (RuntimeException e) {
                    s3.close();
                    throw e;
                }
                running = new Running(pg, s3, work);
                System.err.println("[test backends] " + pg.describe() + "; s3proxy " + s3.endpoint());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return running;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Running r = get();
        context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(TestBackends.class, k -> new Closer(r));
    }

    /** Stops the backends when JUnit closes the root store, at the end of the run. */
    private record Closer(Running backends) implements AutoCloseable {
        @Override
        public void close() {
            synchronized (TestBackends.class) {
                for (AutoCloseable d : dependents) {
                    try {
                        d.close();
                    } catch (Exception e) {
                        System.err.println("[test backends] closing " + d + " failed: " + e);
                    }
                }
                dependents.clear();
                backends.close();
                running = null;
            }
        }
    }
}
