package io.quantserve.service.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.service.storage.ObjectStore;
import io.quantserve.service.support.Api.BytesResponse;
import io.quantserve.service.support.Api.Response;
import io.quantserve.service.support.JobTest;
import io.quantserve.service.support.TestBackends;
import io.quantserve.testing.ModelDatasets;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A whole job over HTTP against the real database, S3 server and engine: the MNIST CNN calibrated on 64 digits,
 * followed through Server-Sent Events, its artefacts listed and downloaded (whole, ranges, conditional, presigned).
 */
class JobLifecycleTest extends JobTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    ObjectStore store;

    @TempDir
    Path tmp;

    @Test
    void mnistJobRunsToSucceededAndPublishesEveryArtefact() throws Exception {
        TenantKey t = newTenant("lifecycle");
        UUID model = uploadMnist(t);
        UUID data = uploadCalibration(t, 64);
        UUID evaluation = upload(t, "/v1/datasets?name=eval.npz", ModelDatasets.mnistCnnCalibration(128));

        Response created = t.client()
                .postJson(
                        "/v1/jobs",
                        json(
                                model,
                                data,
                                "\"batch_size\":16,\"batch_num\":4,\"evaluation_dataset_id\":\"" + evaluation + "\""));
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        UUID id = UUID.fromString(created.json().get("id").asString());
        assertThat(created.json().get("state").asString()).isIn("QUEUED", "RUNNING");
        assertThat(created.json().get("options").get("batch_size").asInt()).isEqualTo(16);

        List<JsonNode> events = events(t.key(), id);
        JsonNode last = events.getLast();
        assertThat(last.get("state").asString()).as(last.toString()).isEqualTo("SUCCEEDED");
        assertThat(events.stream().map(e -> e.get("stage").asString()))
                .as("stages seen by the stream (it samples the row, quick stages may pass unseen)")
                .contains("done");
        // events sample the row: batches may be too quick to be seen, but any batch seen counts to 4
        assertThat(events.stream()
                        .filter(e -> "calibrate".equals(e.get("stage").asString()))
                        .filter(e -> !e.get("progress").get("batch_total").isNull())
                        .map(e -> e.get("progress").get("batch_total").asInt()))
                .allMatch(total -> total == 4);
        double[] percents = events.stream()
                .mapToDouble(e -> e.get("progress").get("percent").asDouble())
                .toArray();
        assertThat(percents).isSorted();

        JsonNode job = t.client().get("/v1/jobs/" + id).json();
        assertThat(job.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("attempts").asInt()).isEqualTo(1);
        assertThat(job.get("progress").get("percent").asDouble()).isEqualTo(100.0);
        assertThat(names(job.get("quantized_layers")))
                .containsExactly("/conv1/Conv", "/conv2/Conv", "/fc1/Gemm", "/fc2/Gemm");
        assertThat(job.get("layers").size()).isEqualTo(4);
        for (JsonNode layer : job.get("layers")) {
            assertThat(layer.get("scale_d").asDouble()).as(layer.toString()).isPositive();
            assertThat(layer.get("output_cosine").asDouble())
                    .as(layer.toString())
                    .isGreaterThan(0.99);
        }
        assertThat(names(job.get("timings").get("stages").propertyNames()))
                .as("in the order the stages ran")
                .containsExactly(
                        "fetch",
                        "prepare",
                        "fuse",
                        "weights",
                        "calibrate",
                        "export",
                        "verify",
                        "report",
                        "evaluate",
                        "upload");
        assertThat(job.get("timings").get("finished_at").isNull()).isFalse();
        assertThat(job.get("error").isNull()).isTrue();
        JsonNode metric = job.get("metrics").get(0);
        assertThat(metric.get("samples").asLong()).as("the evaluation dataset").isEqualTo(128);
        assertThat(metric.get("cosine").asDouble()).isGreaterThan(0.99);
        assertThat(metric.get("top1_agreement").asDouble()).isGreaterThan(0.95);

        Response list = t.client().get("/v1/jobs/" + id + "/artifacts");
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        List<String> artefacts = names(list.json().get("items").valueStream().map(a -> a.get("name")));
        assertThat(artefacts)
                .containsExactly(
                        "manifest.json",
                        "mnist_cnn_deploy_model.onnx",
                        "mnist_cnn_fake_quant_model.onnx",
                        "mnist_cnn_int8_model.onnx",
                        "quant_config.json",
                        "record.txt",
                        "report.html",
                        "report.json",
                        "statistics.bin");
        for (JsonNode a : list.json().get("items")) {
            String key = t.id() + "/jobs/" + id + "/attempts/1/" + a.get("name").asString();
            assertThat(store.stat(key))
                    .get()
                    .satisfies(info -> assertThat(info.size())
                            .isEqualTo(a.get("size_bytes").asLong()));
            BytesResponse file = t.client().getBytes(a.get("url").asString());
            assertThat(file.status()).isEqualTo(200);
            assertThat(sha256(file.body())).isEqualTo(a.get("sha256").asString());
            assertThat(file.header("Content-Type"))
                    .startsWith(a.get("content_type").asString());
        }
        assertThat(contentType(list, "report.json")).isEqualTo("application/json");
        assertThat(contentType(list, "report.html")).startsWith("text/html");
        assertThat(contentType(list, "record.txt")).startsWith("text/plain");
        assertThat(contentType(list, "mnist_cnn_int8_model.onnx")).isEqualTo("application/octet-stream");

        Path fake = tmp.resolve("fake.onnx");
        BytesResponse download = t.client().getBytes("/v1/jobs/" + id + "/artifacts/mnist_cnn_fake_quant_model.onnx");
        Files.write(fake, download.body());
        try (InferenceSession s = InferenceSession.open(fake, SessionSettings.defaults())) {
            assertThat(s.inputs().getFirst().name()).isEqualTo("input");
        }
        assertThat(download.header("ETag")).isEqualTo("\"" + sha256(download.body()) + "\"");
        assertThat(download.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(download.header("Content-Disposition")).contains("mnist_cnn_fake_quant_model.onnx");

        Path scratch = TestBackends.get().workDir().resolve("scratch");
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("the attempt's scratch folder is gone")
                    .noneMatch(n -> n.startsWith("job-" + id));
        }
    }

    @Test
    void theEventStreamOfAnUnknownJobIsANotFoundProblem() {
        TenantKey t = newTenant("events-404");
        Response r = t.client().get("/v1/jobs/" + UUID.randomUUID() + "/events", "Accept", "text/event-stream");
        assertThat(r.status()).as(r.body()).isEqualTo(404);
        assertThat(r.body()).contains("not-found");
    }

    @Test
    void downloadsHonourRangesEntityTagsAndRedirects() throws Exception {
        TenantKey t = newTenant("ranges");
        UUID id = createJob(t, json(uploadMnist(t), uploadCalibration(t, 64), "\"batch_size\":32,\"batch_num\":1"));
        assertThat(awaitTerminal(t, id, Duration.ofMinutes(2)).get("state").asString())
                .isEqualTo("SUCCEEDED");
        String path = "/v1/jobs/" + id + "/artifacts/mnist_cnn_deploy_model.onnx";
        BytesResponse whole = t.client().getBytes(path);
        byte[] all = whole.body();
        String etag = whole.header("ETag");

        BytesResponse part = t.client().getBytes(path, "Range", "bytes=10-99");
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.header("Content-Range")).isEqualTo("bytes 10-99/" + all.length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(all, 10, 100));

        BytesResponse suffix = t.client().getBytes(path, "Range", "bytes=-5");
        assertThat(suffix.status()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(all, all.length - 5, all.length));

        BytesResponse open = t.client().getBytes(path, "Range", "bytes=" + (all.length - 3) + "-");
        assertThat(open.status()).isEqualTo(206);
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(all, all.length - 3, all.length));

        BytesResponse beyond = t.client().getBytes(path, "Range", "bytes=" + all.length + "-");
        assertThat(beyond.status()).isEqualTo(416);
        assertThat(beyond.header("Content-Range")).isEqualTo("bytes */" + all.length);
        assertThat(new String(beyond.body())).contains("range-not-satisfiable");

        BytesResponse stale = t.client().getBytes(path, "Range", "bytes=0-9", "If-Range", "\"other\"");
        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(all);

        BytesResponse notModified = t.client().getBytes(path, "If-None-Match", etag);
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(t.client()
                        .getBytes(path, "If-None-Match", "\"something-else\"")
                        .status())
                .isEqualTo(200);

        BytesResponse redirect = t.client().getBytes(path + "?redirect=true");
        assertThat(redirect.status()).isEqualTo(302);
        URI presigned = URI.create(redirect.header("Location"));
        HttpResponse<byte[]> direct = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(presigned).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(direct.statusCode()).isEqualTo(200);
        assertThat(direct.body()).isEqualTo(all);

        assertThat(t.client()
                        .getBytes("/v1/jobs/" + id + "/artifacts/nope.onnx")
                        .status())
                .isEqualTo(404);
        TenantKey other = newTenant("ranges-other");
        assertThat(other.client().getBytes(path).status()).isEqualTo(404);
        assertThat(other.client().get("/v1/jobs/" + id).status()).isEqualTo(404);
    }

    /** The data of every event of the job's SSE stream, read until the server ends it. */
    private List<JsonNode> events(String key, UUID id) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(api().uri("/v1/jobs/" + id + "/events"))
                .header("Authorization", "Bearer " + key)
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofMinutes(2))
                .build();
        HttpResponse<Stream<String>> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<JsonNode> out = new ArrayList<>();
        try (Stream<String> lines = r.body()) {
            String event = null;
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.startsWith("event:")) event = line.substring(6).strip();
                if (line.startsWith("data:")) {
                    assertThat(event).isEqualTo("job");
                    out.add(JSON.readTree(line.substring(5)));
                }
            }
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    private static String contentType(Response list, String name) {
        for (JsonNode a : list.json().get("items")) {
            if (a.get("name").asString().equals(name))
                return a.get("content_type").asString();
        }
        throw new AssertionError("no artefact " + name);
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    private static List<String> names(Stream<JsonNode> nodes) {
        return nodes.map(JsonNode::asString).toList();
    }

    private static List<String> names(Collection<String> names) {
        return List.copyOf(names);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
