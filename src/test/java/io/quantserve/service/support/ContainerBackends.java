package io.quantserve.service.support;

import java.net.URI;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * PostgreSQL and MinIO in containers, for machines with a Docker engine. PostgreSQL trusts every connection (user
 * {@code postgres}, any password), as the local cluster does, so that tests and child processes connect the same way
 * whichever backends run; MinIO takes the s3proxy credentials of {@link S3ProxyServer}.
 */
final class ContainerBackends implements AutoCloseable {
    /** PostgreSQL image: the major version the service is developed against. */
    static final String POSTGRES_IMAGE = "postgres:17-alpine";
    /** MinIO image: a pinned release, so that runs are repeatable. */
    static final String MINIO_IMAGE = "minio/minio:RELEASE.2023-09-04T19-57-37Z";

    private final PostgreSQLContainer postgres;
    private final MinIOContainer minio;

    private ContainerBackends(PostgreSQLContainer postgres, MinIOContainer minio) {
        this.postgres = postgres;
        this.minio = minio;
    }

    /** Starts both containers; stops the first when the second fails to start. */
    static ContainerBackends start() {
        PostgreSQLContainer postgres = new PostgreSQLContainer(POSTGRES_IMAGE)
                .withDatabaseName("quantserve")
                .withUsername("postgres")
                .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust");
        postgres.start();
        try {
            MinIOContainer minio = new MinIOContainer(MINIO_IMAGE)
                    .withUserName(S3ProxyServer.ACCESS_KEY)
                    .withPassword(S3ProxyServer.SECRET_KEY);
            minio.start();
            return new ContainerBackends(postgres, minio);
        } catch (RuntimeException e) {
            postgres.stop();
            throw e;
        }
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl();
    }

    String username() {
        return postgres.getUsername();
    }

    URI s3Endpoint() {
        return URI.create(minio.getS3URL());
    }

    /** Where the backends run, for logs. */
    String describe() {
        return "Testcontainers: PostgreSQL " + postgres.getJdbcUrl() + ", MinIO " + minio.getS3URL();
    }

    @Override
    public void close() {
        try {
            minio.stop();
        } finally {
            postgres.stop();
        }
    }
}
