package io.quantserve.service.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A PostgreSQL server run from the binaries inside the jar, its cluster in a fixed folder so that data outlive the
 * process: the cluster is created (initdb) only when the folder holds none, and never deleted. The server listens on
 * 127.0.0.1 with trust authentication for the superuser {@code postgres}; it stops when closed, which the
 * application context does after the data source is gone.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    /** Superuser and database the service uses. */
    static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts the server on the cluster in {@code dataDirectory} (created when missing) and waits until it accepts
     * connections.
     *
     * @param port TCP port, 0 for a free one
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
        Path dir = dataDirectory.toAbsolutePath().normalize();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                // the library's defaults suit throw-away test databases (-F, no synchronous commit); this cluster
                // keeps the user's data, so a crash must not lose committed rows
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                // the application context stops the server after its last database user; a JVM hook of its own
                // could stop it while jobs are still being handed back
                .setRegisterShutdownHook(false);
        if (port != 0) builder.setPort(port);
        try {
            return new EmbeddedPostgresServer(builder.start(), dir);
        } catch (IOException e) {
            throw new UncheckedIOException("starting the embedded PostgreSQL in " + dir, e);
        }
    }

    /** JDBC URL of the {@code postgres} database. */
    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, USER);
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the server (fast shutdown); the cluster stays. Idempotent. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("stopping the embedded PostgreSQL in " + dataDirectory, e);
        }
    }
}
