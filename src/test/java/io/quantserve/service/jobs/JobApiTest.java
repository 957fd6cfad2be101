package io.quantserve.service.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.calibration.data.NpyWriter;
import io.quantserve.service.storage.ObjectStore;
import io.quantserve.service.support.Api.Response;
import io.quantserve.service.support.JobTest;
import io.quantserve.service.worker.WorkerPool;
import io.quantserve.testing.TinyModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** {@code /v1/jobs} refusals, idempotency, cancellation, listing, preflight and re-export, over HTTP. */
class JobApiTest extends JobTest {
    private static final String PROBLEMS = "https://quantserve.dev/problems/";

    @Autowired
    WorkerPool pool;

    @Autowired
    ObjectStore store;

    @TempDir
    Path tmp;

    @Test
    void anIdempotencyKeyReturnsTheSameJobForTheSameBodyAndRefusesAnotherBody() {
        TenantKey t = newTenant("idem");
        UUID model = uploadMnist(t);
        UUID data = uploadCalibration(t, 64);
        pool.pause();
        try {
            String body = json(model, data, "\"batch_size\":8,\"act_algo\":\"minmax\"");
            Response first = t.client().postJson("/v1/jobs", body, "Idempotency-Key", "run-1");
            assertThat(first.status()).as(first.body()).isEqualTo(202);
            assertThat(first.headers().firstValue("Idempotent-Replayed")).hasValue("false");

            String reordered = "{\"act_algo\":\"minmax\",\"dataset_id\":\"" + data + "\",\"batch_size\":8,"
                    + "\"model_id\":\"" + model + "\"}";
            Response again = t.client().postJson("/v1/jobs", reordered, "Idempotency-Key", "run-1");
            assertThat(again.status()).as(again.body()).isEqualTo(202);
            assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
            assertThat(again.headers().firstValue("Location"))
                    .isEqualTo(first.headers().firstValue("Location"));
            assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");

            Response other =
                    t.client().postJson("/v1/jobs", json(model, data, "\"batch_size\":9"), "Idempotency-Key", "run-1");
            assertThat(other.status()).as(other.body()).isEqualTo(409);
            assertThat(other.problemType()).isEqualTo(PROBLEMS + "idempotency-key-reused");
            assertThat(other.json().get("detail").asString())
                    .contains(first.json().get("id").asString());

            TenantKey u = newTenant("idem-other");
            UUID otherModel = uploadMnist(u);
            UUID otherData = uploadCalibration(u, 64);
            Response sameKeyElsewhere =
                    u.client().postJson("/v1/jobs", json(otherModel, otherData, ""), "Idempotency-Key", "run-1");
            assertThat(sameKeyElsewhere.status()).as("keys are per tenant").isEqualTo(202);

            assertThat(jobCount(t)).isEqualTo(1);
            cancelAll(t);
            cancelAll(u);
        } finally {
            pool.resume();
        }
    }

    @Test
    void aQueuedJobIsCancelledAtOnceAndARunningOneAtItsNextBatchOrStage() {
        TenantKey t = newTenant("cancel");
        UUID model = uploadMnist(t);
        UUID data = upload(t, "/v1/datasets?name=noise.npz", noise(tmp, 768));
        pool.pause();
        try {
            UUID queued = createJob(t, json(model, data, ""));
            Response cancelled = t.client().post("/v1/jobs/" + queued + "/cancel");
            assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
            assertThat(cancelled.json().get("state").asString()).isEqualTo("CANCELLED");
            assertThat(t.client().post("/v1/jobs/" + queued + "/cancel").status())
                    .as("cancelling a cancelled job changes nothing")
                    .isEqualTo(200);
        } finally {
            pool.resume();
        }

        UUID running = createJob(t, json(model, data, "\"batch_size\":1,\"batch_num\":768"));
        awaitStage(running, "calibrate");
        Response requested = t.client().post("/v1/jobs/" + running + "/cancel");
        assertThat(requested.status()).as(requested.body()).isEqualTo(202);
        assertThat(requested.json().get("cancel_requested").asBoolean()).isTrue();
        JsonNode end = awaitTerminal(t, running, Duration.ofMinutes(1));
        assertThat(end.get("state").asString()).isEqualTo("CANCELLED");
        assertThat(end.get("timings").get("stages").has("upload"))
                .as("stopped before the upload")
                .isFalse();
        assertThat(t.client()
                        .get("/v1/jobs/" + running + "/artifacts")
                        .json()
                        .get("items")
                        .size())
                .isZero();
        assertThat(jdbc.queryForObject("select count(*) from job_artifacts where job_id = ?", Integer.class, running))
                .isZero();
        awaitNoObjects(t.id() + "/jobs/" + running + "/");
    }

    @Test
    void aFinishedJobCannotBeCancelledAndTheProblemNamesItsState() {
        TenantKey t = newTenant("cancel-done");
        UUID id = createJob(t, json(uploadMnist(t), uploadCalibration(t, 64), "\"batch_num\":1"));
        assertThat(awaitTerminal(t, id, Duration.ofMinutes(2)).get("state").asString())
                .isEqualTo("SUCCEEDED");

        Response r = t.client().post("/v1/jobs/" + id + "/cancel");
        assertThat(r.status()).as(r.body()).isEqualTo(409);
        assertThat(r.problemType()).isEqualTo(PROBLEMS + "illegal-state-transition");
        assertThat(r.json().get("detail").asString()).contains("SUCCEEDED").contains(id.toString());
    }

    @Test
    void unknownAndForeignReferencesAreRefusedWithoutCreatingAJob() {
        TenantKey t = newTenant("refs");
        TenantKey other = newTenant("refs-other");
        UUID model = uploadMnist(t);
        UUID data = uploadCalibration(t, 64);
        UUID foreignData = uploadCalibration(other, 64);

        Response unknownModel = t.client().postJson("/v1/jobs", json(UUID.randomUUID(), data, ""));
        assertThat(unknownModel.status()).as(unknownModel.body()).isEqualTo(422);
        assertThat(unknownModel.problemType()).isEqualTo(PROBLEMS + "unknown-reference");
        assertThat(unknownModel.json().get("errors").get(0).get("field").asString())
                .isEqualTo("model_id");

        Response foreign = t.client().postJson("/v1/jobs", json(model, foreignData, ""));
        assertThat(foreign.status()).as(foreign.body()).isEqualTo(422);
        assertThat(foreign.problemType()).isEqualTo(PROBLEMS + "unknown-reference");
        assertThat(foreign.json().get("detail").asString()).startsWith("dataset_id:");

        Response badAlgo = t.client().postJson("/v1/jobs", json(model, data, "\"act_algo\":\"magic\""));
        assertThat(badAlgo.status()).as(badAlgo.body()).isEqualTo(422);
        assertThat(badAlgo.problemType()).isEqualTo(PROBLEMS + "invalid-config");
        assertThat(badAlgo.json().get("detail").asString()).contains("magic");

        Response badSkip = t.client().postJson("/v1/jobs", json(model, data, "\"skip_layers\":[\"/nope/Conv\"]"));
        assertThat(badSkip.status()).as(badSkip.body()).isEqualTo(422);
        assertThat(badSkip.problemType()).isEqualTo(PROBLEMS + "invalid-config");
        assertThat(badSkip.json().get("detail").asString()).contains("/nope/Conv");

        Response both =
                t.client().postJson("/v1/jobs", json(model, data, "\"config\":{\"batch_num\":1},\"act_algo\":\"kl\""));
        assertThat(both.status()).as(both.body()).isEqualTo(422);
        assertThat(both.problemType()).isEqualTo(PROBLEMS + "invalid-config");

        Response noModel = t.client().postJson("/v1/jobs", "{\"dataset_id\":\"" + data + "\"}");
        assertThat(noModel.status()).as(noModel.body()).isEqualTo(400);
        assertThat(noModel.problemType()).isEqualTo(PROBLEMS + "invalid-request");

        Response zeroBatch = t.client().postJson("/v1/jobs", json(model, data, "\"batch_size\":0"));
        assertThat(zeroBatch.status()).as(zeroBatch.body()).isEqualTo(400);

        assertThat(jobCount(t)).isZero();
    }

    @Test
    void dataOfTheWrongShapeFailsTheJobWithTheEnginesCodeOrIsRefusedByPreflight() {
        TenantKey t = newTenant("shapes");
        UUID model = uploadMnist(t);
        Path wrong = tmp.resolve("wrong.npy");
        NpyWriter.write(wrong, TinyModel.random(4, -1f, 1f, 4, 3, 28, 28));
        UUID data = upload(t, "/v1/datasets?name=wrong.npy", wrong);

        UUID id = createJob(t, json(model, data, ""));
        JsonNode failed = awaitTerminal(t, id, Duration.ofMinutes(1));
        assertThat(failed.get("state").asString()).isEqualTo("FAILED");
        JsonNode error = failed.get("error");
        assertThat(error.get("code").asString()).isEqualTo("invalid-data");
        assertThat(error.get("message").asString()).contains("'input'").doesNotContain("/tmp/");
        assertThat(error.get("stage").asString())
                .as("the data is opened before weights are quantized")
                .isEqualTo("fuse");
        assertThat(failed.get("attempts").asInt())
                .as("refused input is not retried")
                .isEqualTo(1);

        Response preflight = t.client().postJson("/v1/jobs/preflight", json(model, data, ""));
        assertThat(preflight.status()).as(preflight.body()).isEqualTo(200);
        assertThat(preflight.json().get("ok").asBoolean()).isFalse();
        JsonNode violation = preflight.json().get("violations").get(0);
        assertThat(violation.get("code").asString()).isEqualTo("invalid-data");
        assertThat(violation.get("field").asString()).isEqualTo("dataset_id");
        assertThat(violation.get("message").asString()).contains("'input'");

        Response refused = t.client().postJson("/v1/jobs", json(model, data, "\"preflight\":true"));
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.problemType()).isEqualTo(PROBLEMS + "invalid-data");
        assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("dataset_id");
        assertThat(jobCount(t)).as("only the first job exists").isEqualTo(1);
    }

    @Test
    void preflightReportsTheLayersTheBatchesAndAnEstimateWithoutRunning() {
        TenantKey t = newTenant("preflight");
        UUID model = uploadMnist(t);
        UUID data = uploadCalibration(t, 64);

        Response r = t.client()
                .postJson(
                        "/v1/jobs/preflight",
                        json(model, data, "\"batch_size\":10,\"batch_num\":8,\"skip_layers\":[\"/fc2/Gemm\"]"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode report = r.json();
        assertThat(report.get("ok").asBoolean()).isTrue();
        assertThat(report.get("violations").size()).isZero();
        List<String> planned = new ArrayList<>();
        report.get("layers")
                .forEach(l -> planned.add(
                        l.get("name").asString() + "=" + l.get("quantize").asBoolean()));
        assertThat(planned)
                .containsExactly("/conv1/Conv=true", "/conv2/Conv=true", "/fc1/Gemm=true", "/fc2/Gemm=false");
        JsonNode calibration = report.get("calibration");
        assertThat(calibration.get("batch_size").asInt()).isEqualTo(10);
        assertThat(calibration.get("batches").asInt())
                .as("64 samples make 7 batches of up to 10")
                .isEqualTo(7);
        assertThat(calibration.get("samples_available").asLong()).isEqualTo(64);
        assertThat(calibration.get("samples_used").asLong()).isEqualTo(64);
        assertThat(report.get("notes").toString()).contains("batch");
        JsonNode estimate = report.get("estimate");
        assertThat(estimate.get("memory_bytes").asLong()).isGreaterThan(6L * 1_600_000);
        assertThat(estimate.get("seconds").asDouble()).isGreaterThanOrEqualTo(2.0);
        assertThat(estimate.get("batch_millis").asDouble()).isPositive();
        assertThat(jobCount(t)).as("a preflight queues nothing").isZero();

        Response unknown = t.client().postJson("/v1/jobs/preflight", json(UUID.randomUUID(), data, ""));
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(422);
        assertThat(unknown.problemType()).isEqualTo(PROBLEMS + "unknown-reference");
    }

    @Test
    void listsFilterByStateAndPageWithACursor() {
        TenantKey t = newTenant("list");
        UUID model = uploadMnist(t);
        UUID data = uploadCalibration(t, 64);
        pool.pause();
        List<UUID> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) ids.add(createJob(t, json(model, data, "\"batch_size\":" + (i + 1))));
            t.client().post("/v1/jobs/" + ids.get(1) + "/cancel");
            t.client().post("/v1/jobs/" + ids.get(3) + "/cancel");

            List<String> seen = new ArrayList<>();
            String cursor = "";
            do {
                Response page = t.client().get("/v1/jobs?limit=2" + (cursor.isEmpty() ? "" : "&cursor=" + cursor));
                assertThat(page.status()).as(page.body()).isEqualTo(200);
                assertThat(page.json().get("items").size()).isLessThanOrEqualTo(2);
                page.json().get("items").forEach(j -> seen.add(j.get("id").asString()));
                cursor = page.json().get("next_cursor").isNull()
                        ? ""
                        : page.json().get("next_cursor").asString();
            } while (!cursor.isEmpty());
            assertThat(seen)
                    .containsExactlyElementsOf(
                            ids.reversed().stream().map(UUID::toString).toList());

            Response cancelled = t.client().get("/v1/jobs?state=CANCELLED");
            assertThat(ids(cancelled)).containsExactly(ids.get(3), ids.get(1));
            Response queued = t.client().get("/v1/jobs?state=QUEUED&state=RUNNING");
            assertThat(ids(queued)).containsExactly(ids.get(4), ids.get(2), ids.get(0));
            Response bad = t.client().get("/v1/jobs?state=DONE");
            assertThat(bad.status()).isEqualTo(400);
            cancelAll(t);
        } finally {
            pool.resume();
        }
    }

    @Test
    void aReExportReadsTheStatisticsOfItsJobAndCalibratesOnlyForLayersTheyLack() {
        TenantKey t = newTenant("reexport");
        UUID model = uploadMnist(t);
        UUID data = uploadCalibration(t, 64);
        UUID base = createJob(t, json(model, data, "\"batch_size\":16,\"batch_num\":2"));
        assertThat(awaitTerminal(t, base, Duration.ofMinutes(2)).get("state").asString())
                .isEqualTo("SUCCEEDED");

        UUID skip = createJob(t, "{\"from_job\":\"" + base + "\",\"skip_layers\":[\"/fc2/Gemm\"]}");
        JsonNode skipped = awaitTerminal(t, skip, Duration.ofMinutes(2));
        assertThat(skipped.get("state").asString()).as(skipped.toString()).isEqualTo("SUCCEEDED");
        assertThat(skipped.get("model_id").asString()).isEqualTo(model.toString());
        assertThat(skipped.get("options").get("batch_size").asInt())
                .as("inherited")
                .isEqualTo(16);
        assertThat(skipped.get("quantized_layers").size()).isEqualTo(3);
        assertThat(skipped.get("notes").toString()).contains("activation ranges from its statistics.bin");
        assertThat(skipped.get("timings").get("stages").has("calibrate")).isFalse();

        UUID hfmg = createJob(t, "{\"from_job\":\"" + base + "\",\"act_algo\":\"hfmg\"}");
        JsonNode other = awaitTerminal(t, hfmg, Duration.ofMinutes(2));
        assertThat(other.get("state").asString()).as(other.toString()).isEqualTo("SUCCEEDED");
        assertThat(other.get("options").get("act_algo").asString()).isEqualTo("hfmg");
        assertThat(other.get("notes").toString()).contains("activation ranges from its statistics.bin");
        assertThat(other.get("timings").get("stages").has("calibrate")).isFalse();

        UUID all = createJob(t, "{\"from_job\":\"" + skip + "\",\"skip_layers\":[]}");
        JsonNode recalibrated = awaitTerminal(t, all, Duration.ofMinutes(2));
        assertThat(recalibrated.get("state").asString())
                .as(recalibrated.toString())
                .isEqualTo("SUCCEEDED");
        assertThat(recalibrated.get("quantized_layers").size()).isEqualTo(4);
        assertThat(recalibrated.get("notes").toString())
                .contains("hold no input of [/fc2/Gemm]")
                .contains("calibration ran again");
        assertThat(recalibrated.get("timings").get("stages").has("calibrate")).isTrue();

        pool.pause();
        try {
            UUID pending = createJob(t, json(model, data, ""));
            Response notReady = t.client().postJson("/v1/jobs", "{\"from_job\":\"" + pending + "\"}");
            assertThat(notReady.status()).as(notReady.body()).isEqualTo(409);
            assertThat(notReady.problemType()).isEqualTo(PROBLEMS + "job-not-ready");
            cancelAll(t);
        } finally {
            pool.resume();
        }
    }

    /** Polls the row (not the API, to see short stages) until the job reports {@code stage}. */
    private void awaitStage(UUID id, String stage) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Object> row = jdbc.queryForMap("select state, stage from jobs where id = ?", id);
            if (stage.equals(row.get("stage"))) return;
            assertThat(row.get("state")).as(row.toString()).isIn("QUEUED", "RUNNING");
            sleep(1);
        }
        throw new AssertionError("job " + id + " never reached stage " + stage);
    }

    private void awaitNoObjects(String prefix) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && !store.list(prefix).isEmpty()) sleep(50);
        assertThat(store.list(prefix))
                .as("uploads of a cancelled attempt are removed")
                .isEmpty();
    }

    private int jobCount(TenantKey t) {
        Integer n = jdbc.queryForObject("select count(*) from jobs where tenant_id = ?", Integer.class, t.id());
        return n == null ? 0 : n;
    }

    private void cancelAll(TenantKey t) {
        for (String state : Set.of("QUEUED", "RUNNING")) {
            for (UUID id : ids(t.client().get("/v1/jobs?limit=100&state=" + state))) {
                t.client().post("/v1/jobs/" + id + "/cancel");
            }
        }
    }

    private static List<UUID> ids(Response page) {
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        List<UUID> out = new ArrayList<>();
        page.json()
                .get("items")
                .forEach(j -> out.add(UUID.fromString(j.get("id").asString())));
        return out;
    }
}
