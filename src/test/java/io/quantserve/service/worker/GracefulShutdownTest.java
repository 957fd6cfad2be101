package io.quantserve.service.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.service.observability.JobLogContext;
import io.quantserve.service.support.JobTest;
import java.io.IOException;
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
        WorkerProcess worker = null;
        try {
            worker = WorkerProcess.start(
                    tmp,
                    CHILD,
                    List.of("--quantserve.jobs.lease-duration=10m"),
                    Map.of("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs"));
            Process child = worker.process();
            Path log = worker.log();
            worker.awaitUp();

            UUID id = createJob(t, json(model, data, "\"batch_size\":1,\"batch_num\":" + SAMPLES));
            Map<String, Object> calibrating = worker.awaitCalibrating(
                    id, job -> jdbc.queryForMap("select state, stage, lease_owner from jobs where id = ?", job));
            assertThat(calibrating.get("lease_owner")).isEqualTo(CHILD + "-1");
            child.destroy();
            assertThat(child.waitFor(60, TimeUnit.SECONDS))
                    .as("exited after SIGTERM")
                    .isTrue();
            assertThat(child.exitValue())
                    .as("ended by SIGTERM:\n%s", worker.tail())
                    .isEqualTo(143);

            Map<String, Object> row = jdbc.queryForMap(
                    "select state, attempts, lease_owner, lease_expires_at, not_before from jobs where id = ?", id);
            assertThat(row.get("state")).as(worker.tail()).isEqualTo("QUEUED");
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
            if (worker != null && worker.process().isAlive())
                worker.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            pool.resume();
        }
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
}
