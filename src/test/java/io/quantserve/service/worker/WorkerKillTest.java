package io.quantserve.service.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.service.QuantServeApplication;
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
import tools.jackson.databind.JsonNode;

/**
 * Two processes: a second JVM runs the service as a pure worker ({@code quantserve.role=worker}) on the same
 * database and S3 server with 2-second leases. Once it is calibrating the test's job, it is killed with SIGKILL, so it
 * cleans nothing up and writes nothing more. The job stays RUNNING until the lease runs out; then this process's
 * reaper requeues it and its worker finishes it as attempt 2.
 */
class WorkerKillTest extends JobTest {
    private static final String CHILD = "doomed";
    private static final Duration CHILD_LEASE = Duration.ofSeconds(2);
    /** Calibration samples, one per batch: long enough a calibration to be killed in, small enough to upload. */
    private static final int SAMPLES = 768;

    @Autowired
    WorkerPool pool;

    @TempDir
    Path tmp;

    @Test
    void aWorkerKilledMidCalibrationHasItsJobFinishedByAnotherProcess() throws Exception {
        TenantKey t = newTenant("sigkill");
        UUID model = uploadMnist(t);
        UUID data = upload(t, "/v1/datasets?name=noise.npz", noise(tmp, SAMPLES));
        pool.pause();
        Process child = null;
        Path log = tmp.resolve("worker.log");
        try {
            int childPort = freePort();
            child = startWorkerProcess(log, childPort);
            awaitUp(child, childPort, log);
            assertThat(status(childPort, "/v1/models", t.key()))
                    .as("a worker-only process serves no API")
                    .isEqualTo(404);

            UUID id = createJob(t, json(model, data, "\"batch_size\":1,\"batch_num\":" + SAMPLES));
            Map<String, Object> calibrating = awaitChildCalibrating(id, child, log);
            assertThat(calibrating.get("lease_owner")).isEqualTo(CHILD + "-1");
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
            Map<String, Object> orphan = row(id);
            assertThat(orphan.get("state")).isEqualTo("RUNNING");
            assertThat(orphan.get("stage")).as("killed mid-calibration").isEqualTo("calibrate");
            assertThat(orphan.get("lease_owner")).isEqualTo(CHILD + "-1");

            pool.resume();
            JsonNode done = awaitTerminal(t, id, Duration.ofMinutes(2));
            assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
            assertThat(done.get("attempts").asInt()).isEqualTo(2);
            assertThat(jdbc.queryForList(
                            "select distinct attempt from job_artifacts where job_id = ?", Integer.class, id))
                    .containsExactly(2);
            assertThat(t.client()
                            .get("/v1/jobs/" + id + "/artifacts")
                            .json()
                            .get("items")
                            .size())
                    .as("every engine artefact, statistics.bin included")
                    .isEqualTo(9);
        } finally {
            if (child != null && child.isAlive()) child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            pool.resume();
        }
    }

    /** The service as a worker-only process from this test's class path, with short leases. */
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
                "--quantserve.worker.heartbeat-interval=500ms",
                "--quantserve.jobs.lease-duration=" + CHILD_LEASE.toMillis() + "ms"));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // through the environment: ONNX Runtime 1.29 crashes (SIGSEGV) in a JVM whose command line holds a class path
        // of a few kilobytes
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        return builder.start();
    }

    private Map<String, Object> awaitChildCalibrating(UUID id, Process child, Path log) throws IOException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.isAlive())
                throw new AssertionError(
                        "the worker process exited early with " + child.exitValue() + ":\n" + tail(log));
            Map<String, Object> row = row(id);
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
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new AssertionError("the worker process exited with " + child.exitValue() + ":\n" + tail(log));
            }
            try {
                if (status(port, "/actuator/health/liveness", null) == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the worker process did not come up:\n" + tail(log));
    }

    private static int status(int port, String path, String key) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (key != null) b.header("Authorization", "Bearer " + key);
        return HttpClient.newHttpClient()
                .send(b.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Map<String, Object> row(UUID id) {
        return jdbc.queryForMap("select state, stage, lease_owner from jobs where id = ?", id);
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
