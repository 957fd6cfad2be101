package io.quantserve.service.support;

import io.quantserve.service.QuantServeApplication;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the service's integration tests: the whole application on a random port, against the real PostgreSQL and
 * S3 server of {@link TestBackends}, driven over HTTP. Every subclass shares one application context (same
 * configuration), so the application starts once per test run.
 */
@SpringBootTest(classes = QuantServeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(TestBackends.class)
public abstract class ServiceTest {
    /** The bootstrap admin key the test application is configured with. */
    public static final String ADMIN_KEY = "test-admin-key-0123456789";
    /** The upload limit of the test application: MNIST (1.7 MB) fits, a 3 MiB + 1 byte upload does not. */
    public static final long UPLOAD_LIMIT = 3L * 1024 * 1024;

    /** Most dimensions of a dataset array or model input in the test application. */
    public static final int MAX_TENSOR_RANK = 6;
    /** Most elements of a dataset array in the test application: 1024 MNIST digits fit. */
    public static final long MAX_TENSOR_ELEMENTS = 1024L * 28 * 28;
    /** Most samples of a dataset in the test application. */
    public static final long MAX_SAMPLES = 5000;
    /** Most queued and running jobs of a tenant in the test application (tests queue up to five while paused). */
    public static final int MAX_ACTIVE_JOBS = 6;

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    private ConfigurableApplicationContext context;

    /** The application's worker pool and timers stop before the shared backends do. */
    @BeforeEach
    void closeBeforeBackends() {
        TestBackends.closeBefore(context);
    }

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        TestBackends.Running b = TestBackends.get();
        registry.add("spring.datasource.url", b::jdbcUrl);
        registry.add("spring.datasource.username", b::dbUser);
        registry.add("spring.datasource.password", () -> "");
        registry.add("quantserve.storage.type", () -> "s3");
        registry.add("quantserve.storage.s3.endpoint", () -> b.s3Endpoint().toString());
        registry.add("quantserve.storage.s3.access-key", b::s3AccessKey);
        registry.add("quantserve.storage.s3.secret-key", b::s3SecretKey);
        registry.add("quantserve.storage.s3.bucket", () -> "quantserve-test");
        registry.add("quantserve.security.admin-key", () -> ADMIN_KEY);
        registry.add("quantserve.uploads.max-size", () -> UPLOAD_LIMIT + "B");
        registry.add("quantserve.limits.max-tensor-rank", () -> MAX_TENSOR_RANK);
        registry.add("quantserve.limits.max-tensor-elements", () -> MAX_TENSOR_ELEMENTS);
        registry.add("quantserve.limits.max-samples-per-dataset", () -> MAX_SAMPLES);
        registry.add("quantserve.limits.max-model-input-rank", () -> MAX_TENSOR_RANK);
        registry.add("quantserve.limits.max-concurrent-jobs-per-tenant", () -> MAX_ACTIVE_JOBS);
        registry.add(
                "quantserve.uploads.scratch-dir",
                () -> b.workDir().resolve("scratch").toString());
        // quick workers: idle polls, reaper and retries in fractions of a second
        registry.add("quantserve.worker.threads", () -> "2");
        registry.add("quantserve.worker.poll-interval", () -> "200ms");
        registry.add("quantserve.worker.reaper-interval", () -> "300ms");
        registry.add("quantserve.worker.progress-interval", () -> "20ms");
        registry.add("quantserve.jobs.lease-duration", () -> "20s");
        registry.add("quantserve.jobs.retry-backoff", () -> "100ms");
        registry.add("quantserve.jobs.events-poll-interval", () -> "50ms");
    }

    /** A client of the running application. */
    protected Api api() {
        return new Api(port);
    }

    /** A client acting as the bootstrap admin. */
    protected Api.As admin() {
        return api().as(ADMIN_KEY);
    }

    /** A new tenant with a new user key; tenants isolate tests from each other's rows. */
    protected TenantKey newTenant(String purpose) {
        String tenant = purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Response r = admin().postJson("/v1/admin/api-keys", "{\"tenant\":\"" + tenant + "\"}");
        if (r.status() != 201) throw new IllegalStateException("issuing a key for " + tenant + " failed: " + r);
        UUID tenantId = jdbc.queryForObject("select id from tenants where name = ?", UUID.class, tenant);
        return new TenantKey(
                tenant,
                tenantId,
                r.json().get("key").asString(),
                api().as(r.json().get("key").asString()));
    }

    /** A tenant made by {@link #newTenant}: its name, id, key and a client using the key. */
    public record TenantKey(String name, UUID id, String key, Api.As client) {}

    /** The shared MNIST CNN fixture (skips the test when the shared folder is absent). */
    protected static Path mnist() {
        return io.quantserve.testing.SharedFixtures.shared("models/mnist_cnn.onnx");
    }
}
