package io.quantserve.service.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.service.support.JobTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
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
        WorkerProcess worker = null;
        try {
            worker = WorkerProcess.start(
                    tmp,
                    CHILD,
                    List.of(
                            "--quantserve.worker.heartbeat-interval=500ms",
                            "--quantserve.jobs.lease-duration=" + CHILD_LEASE.toMillis() + "ms"),
                    Map.of());
            Process child = worker.process();
            worker.awaitUp();
            assertThat(status(worker.port(), "/v1/models", t.key()))
                    .as("a worker-only process serves no API")
                    .isEqualTo(404);

            UUID id = createJob(t, json(model, data, "\"batch_size\":1,\"batch_num\":" + SAMPLES));
            Map<String, Object> calibrating = worker.awaitCalibrating(id, this::row);
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
            if (worker != null && worker.process().isAlive())
                worker.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            pool.resume();
        }
    }

    private static int status(int port, String path, String key) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (key != null) b.header("Authorization", "Bearer " + key);
        return HttpClient.newHttpClient()
                .send(b.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private Map<String, Object> row(UUID id) {
        return jdbc.queryForMap("select state, stage, lease_owner from jobs where id = ?", id);
    }
}
