package io.quantserve.service.embedded;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where a single-machine service keeps its state, and the embedded PostgreSQL's settings ({@code quantserve.*}).
 *
 * @param dataDir the one folder holding {@code postgres/} (the embedded database cluster), {@code storage/} (the
 *     filesystem object store), {@code scratch/} (uploads being checked, job work folders) and {@code admin-key};
 *     relative to the working folder unless absolute
 * @param embeddedPostgres settings of the embedded PostgreSQL, used only when {@code spring.datasource.url} is unset
 */
@ConfigurationProperties("quantserve")
public record DataDirProperties(
        @DefaultValue("quantserve-data") Path dataDir,
        @DefaultValue EmbeddedPostgres embeddedPostgres) {

    /** @param port TCP port on 127.0.0.1; 0 picks a free one at every start */
    public record EmbeddedPostgres(@DefaultValue("0") int port) {}

    /** The embedded database cluster's folder. */
    public Path postgres() {
        return dataDir.resolve("postgres");
    }

    /** The file holding the generated bootstrap admin key. */
    public Path adminKeyFile() {
        return dataDir.resolve("admin-key");
    }
}
