package io.quantserve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.service.embedded.EmbeddedPostgresServer;
import io.quantserve.testing.SharedFixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * README's walk-through against {@code quantserve serve} with nothing but a data folder: the embedded PostgreSQL and
 * filesystem store start under {@code quantserve.data-dir}, the generated admin key issues a tenant key, the MNIST CNN
 * and calibration digits prepared by {@code prepare-data} are uploaded, a job runs to SUCCEEDED and its
 * {@code report.html} downloads. Stopping the service stops the database; a second start on the same folder still
 * has the model, the job and its artefacts, and the same admin key.
 */
class EmbeddedServeTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    @Test
    void walkThroughOnTheEmbeddedDefaultSurvivesARestart() throws Exception {
        Path mnist = SharedFixtures.shared("models/mnist_cnn.onnx");
        Path digits = SharedFixtures.shared("data/mnist.npz");
        Path calib = tmp.resolve("calib.npz");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = QuantServeCli.execute(
                new String[] {
                    "prepare-data",
                    "--model",
                    mnist.toString(),
                    "--data",
                    digits.toString(),
                    "--array",
                    "calib",
                    "--mean",
                    "127.5",
                    "--std",
                    "127.5",
                    "--limit",
                    "64",
                    "--out",
                    calib.toString()
                },
                new PrintWriter(out),
                new PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        JsonNode prepared = JSON.readTree(out.toString());
        assertThat(prepared.get("input").asString()).isEqualTo("input");
        assertThat(prepared.get("shape").toString()).isEqualTo("[64,1,28,28]");
        // (0 - 127.5) / 127.5 and (255 - 127.5) / 127.5: the model's (x/255 - 0.5) / 0.5
        assertThat(prepared.get("min").asDouble()).isEqualTo(-1.0);
        assertThat(prepared.get("max").asDouble()).isEqualTo(1.0);

        Path data = tmp.resolve("quantserve-data");
        String adminKey;
        String model;
        String job;
        String userKey;
        int postgresPort;
        try (ConfigurableApplicationContext context = serve(data)) {
            String base = baseUrl(context);
            postgresPort = context.getBean(EmbeddedPostgresServer.class).port();
            assertThat(context.getBean(JdbcTemplate.class).queryForObject("show fsync", String.class))
                    .isEqualTo("on");
            assertThat(data.resolve("postgres/PG_VERSION")).exists();
            adminKey = Files.readString(data.resolve("admin-key")).strip();
            assertThat(adminKey).hasSizeGreaterThanOrEqualTo(16);

            HttpResponse<String> issued = send(json(base + "/v1/admin/api-keys", adminKey, "{\"tenant\":\"acme\"}"));
            assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
            userKey = JSON.readTree(issued.body()).get("key").asString();

            model = created(send(upload(base + "/v1/models?name=mnist_cnn.onnx", userKey, mnist)));
            String dataset = created(send(upload(base + "/v1/datasets?name=calib.npz", userKey, calib)));
            HttpResponse<String> queued = send(json(
                    base + "/v1/jobs",
                    userKey,
                    "{\"model_id\":\"" + model + "\",\"dataset_id\":\"" + dataset
                            + "\",\"batch_size\":32,\"batch_num\":2}"));
            assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
            job = JSON.readTree(queued.body()).get("id").asString();

            JsonNode done = awaitTerminal(base, userKey, job, Duration.ofMinutes(3));
            assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
            assertReportDownloads(base, userKey, job);
            try (Stream<Path> stored = Files.walk(data.resolve("storage"))) {
                assertThat(stored.anyMatch(p -> p.endsWith("report.html")))
                        .as("artefacts live in the data folder's object store")
                        .isTrue();
            }
            assertThat(Files.getPosixFilePermissions(data.resolve("admin-key")))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
        assertThat(accepts(postgresPort))
                .as("the embedded PostgreSQL stops with the service")
                .isFalse();

        try (ConfigurableApplicationContext context = serve(data)) {
            String base = baseUrl(context);
            assertThat(Files.readString(data.resolve("admin-key")).strip()).isEqualTo(adminKey);
            HttpResponse<String> models = send(get(base + "/v1/models", userKey));
            assertThat(models.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(models.body()).get("items").findValuesAsString("id"))
                    .containsExactly(model);
            HttpResponse<String> tenants = send(json(base + "/v1/admin/api-keys", adminKey, "{\"tenant\":\"other\"}"));
            assertThat(tenants.statusCode())
                    .as("the admin key of the first start")
                    .isEqualTo(201);
            JsonNode again =
                    JSON.readTree(send(get(base + "/v1/jobs/" + job, userKey)).body());
            assertThat(again.get("state").asString()).isEqualTo("SUCCEEDED");
            assertReportDownloads(base, userKey, job);
        }
    }

    private ConfigurableApplicationContext serve(Path data) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--server.port=0", "--quantserve.data-dir=" + data);
        return serve.start();
    }

    private static String baseUrl(ConfigurableApplicationContext context) {
        return "http://127.0.0.1:"
                + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static void assertReportDownloads(String base, String key, String job) throws Exception {
        HttpResponse<String> list = send(get(base + "/v1/jobs/" + job + "/artifacts", key));
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(JSON.readTree(list.body()).get("items").findValuesAsString("name"))
                .contains("report.html", "report.json", "mnist_cnn_fake_quant_model.onnx");
        HttpResponse<String> report = send(get(base + "/v1/jobs/" + job + "/artifacts/report.html", key));
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(report.body()).contains("<html").contains("/conv1/Conv");
    }

    private static JsonNode awaitTerminal(String base, String key, String job, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = JSON.readTree(send(get(base + "/v1/jobs/" + job, key)).body());
            String state = last.get("state").asString();
            if (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED")) return last;
            Thread.sleep(100);
        }
        throw new AssertionError("job " + job + " not done after " + timeout + ": " + last);
    }

    private static String created(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("id").asString();
    }

    private static HttpRequest get(String url, String key) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + key)
                .build();
    }

    private static HttpRequest json(String url, String key, String body) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static HttpRequest upload(String url, String key, Path file) throws IOException {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(file))
                .build();
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static boolean accepts(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }
}
