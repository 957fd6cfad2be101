package io.quantserve.service.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real backing services of the service tests, started once per JVM on first use: PostgreSQL and an S3 server,
 * in containers ({@link ContainerBackends}: Testcontainers PostgreSQL and MinIO) where a Docker engine answers, else
 * locally ({@link TestPostgres} and {@link S3ProxyServer}); {@link BackendSelection} chooses. As a JUnit extension it registers them in the root
 * context's store, which stops them when the whole test run ends.
 */
public final class TestBackends implements BeforeAllCallback {
    private static @Nullable Running running;
    private static final Set<AutoCloseable> dependents = ConcurrentHashMap.newKeySet();

    /**
     * Closes {@code dependent} (an application context with background threads using the backends) before the
     * backends stop at the end of the run, so that it does not fail against a dropped database.
     */
    public static void closeBefore(AutoCloseable dependent) {
        dependents.add(dependent);
    }

    /**
     * What the tests connect to.
     *
     * @param dbUser a user the database trusts: any password, the empty one included, is accepted
     * @param description where the backends run, for logs
     * @param backends the running backends, closed in reverse order
     */
    public record Running(
            String jdbcUrl,
            String dbUser,
            URI s3Endpoint,
            String description,
            Path workDir,
            List<AutoCloseable> backends)
            implements AutoCloseable {
        public Running {
            backends = List.copyOf(backends);
        }

        public String s3AccessKey() {
            return S3ProxyServer.ACCESS_KEY;
        }

        public String s3SecretKey() {
            return S3ProxyServer.SECRET_KEY;
        }

        @Override
        public void close() {
            try {
                for (AutoCloseable b : backends.reversed()) {
                    try {
                        b.close();
                    } catch (Exception e) {
                        System.err.println("[test backends] stopping " + b + " failed: " + e);
                    }
                }
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

    /**
     * Starts the backends if this JVM has not yet, and returns them: containers where a Docker engine answers, else
     * the local ones ({@link BackendSelection}).
     */
    public static synchronized Running get() {
        if (running == null) {
            try {
                Path work = Files.createTempDirectory("quantserve-backends-");
                running = BackendSelection.forThisMachine() == BackendSelection.Kind.CONTAINERS
                        ? containers(work)
                        : local(work);
                System.err.println("[test backends] " + running.description());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return running;
    }

    private static Running containers(Path work) {
        ContainerBackends c = ContainerBackends.start();
        return new Running(c.jdbcUrl(), c.username(), c.s3Endpoint(), c.describe(), work, List.of(c));
    }

    private static Running local(Path work) {
        S3ProxyServer s3 = S3ProxyServer.start(work);
        TestPostgres pg;
        try {
            pg = TestPostgres.start();
        } catch (RuntimeException e) {
            s3.close();
            throw e;
        }
        return new Running(
                pg.jdbcUrl(),
                pg.username(),
                s3.endpoint(),
                pg.describe() + "; s3proxy " + s3.endpoint(),
                work,
                List.of(pg, s3));
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
