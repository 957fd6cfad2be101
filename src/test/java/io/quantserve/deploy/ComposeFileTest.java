package io.quantserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.service.security.SecurityProperties;
import io.quantserve.service.storage.StorageProperties;
import io.quantserve.service.worker.ProcessRole;
import io.quantserve.service.worker.WorkerProperties;
import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose.yml}: accepted by {@code docker-compose config} (no Docker engine needed), and its structure
 * checked on the parsed file: the services and their health checks, a scalable worker, the bucket made before the
 * service starts, and an environment that binds to the service's real properties with values that fit the other
 * services (database name and credentials, MinIO address and keys).
 */
class ComposeFileTest {
    private static final Path COMPOSE = Path.of("docker-compose.yml");
    private static final String INSTALL_HINT = "docker-compose is not installed: `apt-get install -y"
            + " --no-install-recommends docker-compose` (.ci/run installs it; no Docker engine is needed)";
    /** {@code ${NAME:-default}} or {@code ${NAME-default}} or {@code ${NAME}}, as compose interpolates them. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

    private static YamlNode compose;
    private static YamlNode services;

    @BeforeAll
    static void parse() {
        compose = YamlNode.parse(COMPOSE);
        services = compose.at("services");
    }

    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        Path executable = onPath("docker-compose").orElseThrow(() -> new AssertionError(INSTALL_HINT));
        Path output = Files.createTempFile("compose-config", ".txt");
        try {
            Process process = new ProcessBuilder(executable.toString(), "-f", COMPOSE.toString(), "config", "-q")
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            boolean ended = process.waitFor(5, TimeUnit.MINUTES);
            if (!ended) process.destroyForcibly();
            String text = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(ended).as("docker-compose config ended: %s", text).isTrue();
            assertThat(process.exitValue())
                    .as("docker-compose config -q: %s", text)
                    .isZero();
        } finally {
            Files.deleteIfExists(output);
        }
    }

    @Test
    void servicesHaveHealthChecksAndTheWorkerScales() {
        assertThat(services.entries().keySet())
                .containsExactlyInAnyOrder("postgres", "minio", "create-bucket", "api", "worker");
        for (String name : List.of("postgres", "minio", "api", "worker")) {
            assertThat(services.at(name, "healthcheck").list("test"))
                    .as("%s health check", name)
                    .isNotEmpty();
        }
        assertThat(services.at("api", "healthcheck").list("test").toString()).contains("/actuator/health/readiness");
        assertThat(services.at("worker", "healthcheck").list("test").toString()).contains("/actuator/health/liveness");

        YamlNode worker = services.at("worker");
        assertThat(worker.list("ports"))
                .as("a fixed host port stops --scale worker=N")
                .isEmpty();
        assertThat(worker.at("container_name").isMissing()).isTrue();
        assertThat(services.at("api").at("ports").texts()).contains("8080:8080");
        assertThat(worker.at("image").text())
                .isEqualTo(services.at("api", "image").text());
        assertThat(services.at("api", "build").text()).isEqualTo(".");
        assertThat(Path.of("Dockerfile")).isRegularFile();
    }

    @Test
    void dataLivesInNamedVolumes() {
        assertThat(services.at("postgres").at("volumes").texts()).contains("postgres-data:/var/lib/postgresql/data");
        assertThat(services.at("minio").at("volumes").texts()).contains("minio-data:/data");
        assertThat(compose.at("volumes").entries().keySet()).contains("postgres-data", "minio-data", "api-scratch");
        // uploads being checked by the api land in its volume, not in the container's writable layer
        assertThat(services.at("api").at("volumes").texts()).contains("api-scratch:/tmp");
        assertThat(environment("api").get("QUANTSERVE_UPLOADS_SCRATCH_DIR")).startsWith("/tmp/");
    }

    @Test
    void theBucketExistsBeforeTheServiceStarts() {
        Map<String, String> api = environment("api");
        String bucket = api.get("QUANTSERVE_STORAGE_S3_BUCKET");

        YamlNode createBucket = services.at("create-bucket");
        assertThat(String.join(" ", createBucket.at("command").texts()))
                .contains("mc mb --ignore-existing local/" + bucket)
                .contains("http://minio:9000");
        assertThat(createBucket.at("depends_on", "minio", "condition").text()).isEqualTo("service_healthy");
        assertThat(services.at("api", "depends_on", "create-bucket", "condition")
                        .text())
                .isEqualTo("service_completed_successfully");
        assertThat(services.at("api", "depends_on", "postgres", "condition").text())
                .isEqualTo("service_healthy");
        // workers start once the api is ready: the Flyway migrations have run, the bucket exists
        assertThat(services.at("worker", "depends_on", "api", "condition").text())
                .isEqualTo("service_healthy");
        assertThat(environment("worker")).containsEntry("QUANTSERVE_STORAGE_S3_BUCKET", bucket);
    }

    @Test
    void everySpringVariableNamesARealProperty() {
        SpringProperties properties = SpringProperties.load();
        for (String service : List.of("api", "worker")) {
            assertThat(environment(service).keySet().stream().filter(SpringProperties::isSpringVariable))
                    .as(service)
                    .isNotEmpty()
                    .allSatisfy(v -> assertThat(properties.propertyOf(v))
                            .as("property set by %s", v)
                            .isPresent());
        }
    }

    @Test
    void theServiceEnvironmentBindsToPostgresAndMinio() {
        Map<String, String> postgres = environment("postgres");
        Map<String, String> minio = environment("minio");

        for (String service : List.of("api", "worker")) {
            Map<String, String> env = environment(service);
            assertThat(env)
                    .containsEntry(
                            "SPRING_DATASOURCE_URL", "jdbc:postgresql://postgres:5432/" + postgres.get("POSTGRES_DB"))
                    .containsEntry("SPRING_DATASOURCE_USERNAME", postgres.get("POSTGRES_USER"))
                    .containsEntry("SPRING_DATASOURCE_PASSWORD", postgres.get("POSTGRES_PASSWORD"));

            StorageProperties storage = SpringProperties.bind(env, "quantserve.storage", StorageProperties.class);
            assertThat(storage.type()).isEqualTo(StorageProperties.Type.S3);
            assertThat(storage.s3().endpoint()).isEqualTo(URI.create("http://minio:9000"));
            assertThat(storage.s3().publicEndpoint()).isEqualTo(URI.create("http://localhost:9000"));
            assertThat(services.at("minio").at("ports").texts()).contains("9000:9000");
            assertThat(storage.s3().accessKey()).isEqualTo(minio.get("MINIO_ROOT_USER"));
            assertThat(storage.s3().secretKey()).isEqualTo(minio.get("MINIO_ROOT_PASSWORD"));
            assertThat(storage.s3().createBucket()).isFalse();

            SecurityProperties security = SpringProperties.bind(env, "quantserve.security", SecurityProperties.class);
            assertThat(security.adminKey()).hasSizeGreaterThanOrEqualTo(SecurityProperties.MIN_ADMIN_KEY_LENGTH);
        }
        assertThat(SpringProperties.bind(environment("api"), "quantserve", WorkerProperties.class)
                        .role())
                .isEqualTo(ProcessRole.API);
        assertThat(SpringProperties.bind(environment("worker"), "quantserve", WorkerProperties.class)
                        .role())
                .isEqualTo(ProcessRole.WORKER);
    }

    /**
     * A service's environment as its container sees it when no variable is set on the host: merge keys resolved,
     * {@code ${NAME:-default}} replaced by its default.
     */
    private static Map<String, String> environment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        services.at(service, "environment").textMap().forEach((k, v) -> env.put(k, interpolate(v)));
        return env;
    }

    private static String interpolate(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String fallback = m.group(2);
            assertThat(fallback).as("%s has a default", m.group()).isNotNull();
            m.appendReplacement(out, Matcher.quoteReplacement(fallback));
        }
        m.appendTail(out);
        return out.toString().replace("$$", "$");
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }
}
