package io.quantserve.service.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.service.QuantServeApplication;
import io.quantserve.service.support.TestBackends;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An API process whose object store cannot be reached (its S3 endpoint is a port nobody listens on) and whose actuator
 * is on a separate management port: it is alive but not ready (503, objectStore DOWN, db UP), so Kubernetes takes it
 * out of the Service without restarting it; and the management port serves the probes and the Prometheus scrape
 * without an API key, while the application port still wants one.
 */
@ExtendWith(TestBackends.class)
class ReadinessTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static ConfigurableApplicationContext context;
    private static int port;
    private static int managementPort;

    @BeforeAll
    static void startWithoutObjectStore() throws IOException {
        TestBackends.Running b = TestBackends.get();
        context = new SpringApplicationBuilder(QuantServeApplication.class)
                .run(
                        "--server.port=0",
                        "--management.server.port=0",
                        "--quantserve.role=api",
                        "--spring.datasource.url=" + b.jdbcUrl(),
                        "--spring.datasource.username=" + b.dbUser(),
                        "--spring.datasource.password=",
                        "--quantserve.storage.type=s3",
                        "--quantserve.storage.s3.endpoint=http://127.0.0.1:" + unusedPort(),
                        "--quantserve.storage.s3.access-key=nobody",
                        "--quantserve.storage.s3.secret-key=nobody-secret",
                        "--quantserve.storage.s3.create-bucket=false",
                        "--quantserve.uploads.scratch-dir=" + b.workDir().resolve("readiness-scratch"));
        TestBackends.closeBefore(context);
        port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        managementPort = Integer.parseInt(context.getEnvironment().getProperty("local.management.port"));
    }

    @AfterAll
    static void stop() {
        if (context != null) context.close();
    }

    @Test
    void unreachableObjectStoreMakesTheProcessAliveButNotReady() throws Exception {
        assertThat(managementPort).isNotEqualTo(port);
        HttpResponse<String> readiness = get(managementPort, "/actuator/health/readiness", null);
        assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(503);
        JsonNode body = JSON.readTree(readiness.body());
        assertThat(body.get("status").asString()).isEqualTo("DOWN");
        assertThat(body.get("components").get("objectStore").get("status").asString())
                .isEqualTo("DOWN");
        assertThat(body.get("components").get("db").get("status").asString()).isEqualTo("UP");

        HttpResponse<String> liveness = get(managementPort, "/actuator/health/liveness", null);
        assertThat(liveness.statusCode()).as(liveness.body()).isEqualTo(200);
        assertThat(JSON.readTree(liveness.body()).get("status").asString()).isEqualTo("UP");
    }

    @Test
    void theManagementPortServesPrometheusWithoutAKeyAndTheApplicationPortStillWantsOne() throws Exception {
        HttpResponse<String> scrape = get(managementPort, "/actuator/prometheus", null);
        assertThat(scrape.statusCode()).isEqualTo(200);
        PrometheusScrape samples = PrometheusScrape.parse(scrape.body());
        assertThat(samples.value("quantserve_jobs", "state", "SUCCEEDED")).isPresent();
        assertThat(samples.value("quantserve_queue_depth")).isPresent();

        assertThat(get(port, "/v1/models", null).statusCode()).isEqualTo(401);
        assertThat(get(port, "/actuator/prometheus", null).statusCode())
                .as("no actuator on the application port, and no way around the key there")
                .isEqualTo(401);
    }

    private static HttpResponse<String> get(int port, String path, String key)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (key != null) b.header("Authorization", "Bearer " + key);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A port that was free a moment ago: connections to it are refused. */
    private static int unusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
