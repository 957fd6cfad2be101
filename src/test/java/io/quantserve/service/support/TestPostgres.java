package io.quantserve.service.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL database for one test JVM: a fresh database on the local cluster at 127.0.0.1:5432 (user
 * {@code postgres}, trust authentication) when it answers, else an embedded PostgreSQL (zonky) started for the run.
 * {@code -Dquantserve.test.postgres=embedded} forces the embedded server. Closing drops the database or stops the
 * server.
 */
final class TestPostgres implements AutoCloseable {
    private static final String LOCAL = "jdbc:postgresql://127.0.0.1:5432/";

    private final String jdbcUrl;
    private final String username;
    private final @Nullable String database;
    private final @Nullable EmbeddedPostgres embedded;

    private TestPostgres(
            String jdbcUrl, String username, @Nullable String database, @Nullable EmbeddedPostgres embedded) {
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.database = database;
        this.embedded = embedded;
    }

    static TestPostgres start() {
        if (!"embedded".equals(System.getProperty("quantserve.test.postgres")) && localAnswers()) {
            String name = "quantserve_test_"
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
            execute(LOCAL + "postgres", "CREATE DATABASE " + name);
            return new TestPostgres(LOCAL + name, "postgres", name, null);
        }
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            return new TestPostgres(pg.getJdbcUrl("postgres", "postgres"), "postgres", null, pg);
        } catch (IOException e) {
            throw new UncheckedIOException("starting embedded PostgreSQL", e);
        }
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    String username() {
        return username;
    }

    /** Where the database runs, for logs. */
    String describe() {
        return embedded != null ? "embedded PostgreSQL " + jdbcUrl : "local cluster, database " + database;
    }

    @Override
    public void close() {
        if (database != null) {
            execute(LOCAL + "postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException("stopping embedded PostgreSQL", e);
            }
        }
    }

    private static boolean localAnswers() {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("connectTimeout", "2");
        p.setProperty("loginTimeout", "3");
        try (Connection c = DriverManager.getConnection(LOCAL + "postgres", p)) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("'" + sql + "' on " + url + " failed: " + e.getMessage(), e);
        }
    }
}
