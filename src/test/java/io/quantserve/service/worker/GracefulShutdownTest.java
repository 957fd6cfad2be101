package io.quantserve.service.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.service.QuantServeApplication;
import io.quantserve.service.observability.JobLogContext;
import io.quantserve.service.support.JobTest;
import io.quantserve.service.support.TestBackends;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A rolling restart as Kubernetes does it: a second JVM runs the service as a pure worker with JSON (ECS) console logs
 * and a lease far longer than the test; once it is calibrating the test's job it gets SIGTERM. It stops at the next
 * batch, hands the job back (QUEUED, lease released, the attempt not counted) and exits; no lease has expired, so
 * no reaper was involved. This process's worker then finishes the job as attempt 1. The child's log lines are JSON
 * objects, those of the attempt with the job id, tenant and attempt as fields.
 */
class GracefulShutdownTest extends JobTest {
    private static final String CHILD = "draining";
    /** Calibration samples, one per batch: long enough a calibration to stop in, small enough to upload. */
    private static final int SAMPLES = 768;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WorkerPool pool;

    @TempDir
    Path tmp;

    @Test
    void sigtermMidCalibrationHandsTheJobBackAtOnce() throws Exception {
        TenantKey t = newTenant("sigterm");
        UUID model = uploadMnist(t);
        UUID data = upload(t, "/v1/datasets?name=noise.npz", noise(tmp, SAMPLES));
        pool.pause();
        Process child = null;
        Path log = tmp.resolve("worker.log");
        try {
            int childPort = freePort();
            child = startWorkerProcess(log, childPort);
            awaitUp(child, childPort, log);

            UUID id = createJob(t, json(model, data, "\"batch_size\":1,\"batch_num\":" + SAMPLES));
            Map<String, Object> calibrating = awaitChildCalibrating(id, child, log);
            assertThat(calibrating.get("lease_owner")).isEqualTo(CHILD + "-1");
            child.destroy();
            assertThat(child.waitFor(60, TimeUnit.SECONDS))
                    .as("exited after SIGTERM")
                    .isTrue();
            assertThat(child.exitValue()).as("ended by SIGTERM:\n%s", tail(log)).isEqualTo(143);

            Map<String, Object> row = jdbc.queryForMap(
                    "select state, attempts, lease_owner, lease_expires_at, not_before from jobs where id = ?", id);
            assertThat(row.get("state")).as(tail(log)).isEqualTo("QUEUED");
            assertThat(row.get("attempts"))
                    .as("the handed-back attempt does not count")
                    .isEqualTo(0);
            assertThat(row.get("lease_owner")).isNull();
            assertThat(row.get("lease_expires_at")).isNull();
            assertThat(row.get("not_before")).isNull();

            List<JsonNode> lines = jsonLines(log);
            assertThat(lines).as("every console line is JSON").isNotEmpty();
            List<JsonNode> attempt = lines.stream()
                    .filter(l -> id.toString().equals(text(l, JobLogContext.JOB_ID)))
                    .toList();
            assertThat(attempt).as("lines of the attempt carry its job id").isNotEmpty();
            assertThat(attempt).allSatisfy(l -> {
                assertThat(text(l, JobLogContext.TENANT_ID)).isEqualTo(t.id().toString());
                assertThat(text(l, JobLogContext.ATTEMPT)).isEqualTo("1");
            });
            assertThat(attempt.stream().map(l -> text(l, "message")))
                    .anyMatch(m -> m.contains("handed back during stage 'calibrate'"));

            pool.resume();
            JsonNode done = awaitTerminal(t, id, Duration.ofMinutes(2));
            assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
            assertThat(done.get("attempts").asInt()).isEqualTo(1);
        } finally {
            if (child != null && child.isAlive()) child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            pool.resume();
        }
    }

    /** The service as a worker-only process with ECS console logs and a lease that outlasts the test. */
    private Process startWorkerProcess(Path log, int port) throws IOException {
        TestBackends.Running b = TestBackends.get();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx1g",
                QuantServeApplication.class.getName(),
                "--quantserve.role=worker",
                "--server.port=" + port,
                "--spring.datasource.url=" + b.jdbcUrl(),
                "--spring.datasource.username=" + b.dbUser(),
                "--spring.datasource.password=",
                "--quantserve.storage.type=s3",
                "--quantserve.storage.s3.endpoint=" + b.s3Endpoint(),
                "--quantserve.storage.s3.access-key=" + b.s3AccessKey(),
                "--quantserve.storage.s3.secret-key=" + b.s3SecretKey(),
                "--quantserve.storage.s3.bucket=quantserve-test",
                "--quantserve.uploads.scratch-dir=" + tmp.resolve("scratch"),
                "--quantserve.worker.id=" + CHILD,
                "--quantserve.worker.threads=1",
                "--quantserve.worker.poll-interval=100ms",
                "--quantserve.jobs.lease-duration=10m"));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // through the environment: ONNX Runtime 1.29 crashes (SIGSEGV) in a JVM whose command line holds a class path
        // of a few kilobytes
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        builder.environment().put("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
        return builder.start();
    }

    private Map<String, Object> awaitChildCalibrating(UUID id, Process child, Path log) throws IOException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.isAlive())
                throw new AssertionError(
                        "the worker process exited early with " + child.exitValue() + ":\n" + tail(log));
            Map<String, Object> row = jdbc.queryForMap("select state, stage, lease_owner from jobs where id = ?", id);
            if ("calibrate".equals(row.get("stage"))) return row;
            assertThat(row.get("state"))
                    .as("job state while waiting for the child")
                    .isIn("QUEUED", "RUNNING");
            sleep(5);
        }
        throw new AssertionError("the worker process never calibrated job " + id + ":\n" + tail(log));
    }

    /** Waits until the process answers its liveness probe (its worker pool has started by then). */
    private static void awaitUp(Process child, int port, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/liveness"))
                .build();
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new AssertionError("the worker process exited with " + child.exitValue() + ":\n" + tail(log));
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the worker process did not come up:\n" + tail(log));
    }

    /** The log's lines as JSON; fails on a line that is not a JSON object (the JVM's own warnings excepted). */
    private static List<JsonNode> jsonLines(Path log) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.isBlank() || line.startsWith("WARNING:")) continue;
            try {
                JsonNode node = JSON.readTree(line);
                assertThat(node.isObject()).as(line).isTrue();
                out.add(node);
            } catch (JacksonException e) {
                throw new AssertionError("not a JSON log line: " + line, e);
            }
        }
        return out;
    }

    private static String text(JsonNode line, String field) {
        JsonNode v = line.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
