package io.quantserve.service.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.service.jobs.Claim;
import io.quantserve.service.jobs.JobQueue;
import io.quantserve.service.jobs.JobState;
import io.quantserve.service.jobs.LeaseLostException;
import io.quantserve.service.observability.JobMetrics;
import io.quantserve.service.support.Api.Response;
import io.quantserve.service.support.TestBackends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Cancellation and lost leases as the engine's progress callbacks see them, step by step (no timing involved): a
 * cancel request reaches a running attempt through a heartbeat or a progress write and the next batch throws; a run
 * that sees it ends CANCELLED with nothing published and its scratch folder gone; a worker whose lease was taken over
 * stops at its next batch. The application's pool is paused so that only the workers made here claim.
 */
class CancellationTest extends PausedPoolJobTest {
    @Autowired
    JobMetrics metrics;

    @Test
    void aCancelRequestStopsTheRunAtTheNextCalibrationBatch() {
        TenantKey t = newTenant("cancel-batch");
        UUID id = createJob(t, json(uploadMnist(t), uploadCalibration(t, 64), ""));
        Claim claim = claim(queue, "canceller", id);
        AttemptProgress progress = new AttemptProgress(claim, queue, Clock.systemUTC(), Duration.ofHours(1), metrics);
        progress.stage("calibrate");
        progress.batch(1, 100);

        Response cancel = t.client().post("/v1/jobs/" + id + "/cancel");
        assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
        assertThat(cancel.json().get("state").asString()).isEqualTo("RUNNING");
        progress.batch(2, 100);
        progress.heartbeat();
        assertThatThrownBy(() -> progress.batch(3, 100))
                .isInstanceOf(JobCancelledException.class)
                .hasMessageContaining("during stage 'calibrate'");

        queue.cancelled(claim, progress.timings());
        JsonNode job = t.client().get("/v1/jobs/" + id).json();
        assertThat(job.get("state").asString()).isEqualTo("CANCELLED");
        assertThat(job.get("stage").asString()).isEqualTo("calibrate");
    }

    @Test
    void aProgressWriteAlsoPicksTheRequestUp() {
        TenantKey t = newTenant("cancel-write");
        UUID id = createJob(t, json(uploadMnist(t), uploadCalibration(t, 64), ""));
        Claim claim = claim(queue, "canceller", id);
        AttemptProgress progress = new AttemptProgress(claim, queue, Clock.systemUTC(), Duration.ZERO, metrics);
        progress.stage("calibrate");
        progress.batch(1, 4);
        assertThat(t.client().post("/v1/jobs/" + id + "/cancel").status()).isEqualTo(202);
        assertThatThrownBy(() -> progress.batch(2, 4)).isInstanceOf(JobCancelledException.class);
        queue.cancelled(claim, progress.timings());
    }

    @Test
    void aRunThatSeesACancelEndsCancelledWithNothingPublishedAndNoScratchLeft() throws Exception {
        TenantKey t = newTenant("cancel-run");
        UUID id = createJob(t, json(uploadMnist(t), uploadCalibration(t, 64), ""));
        Claim claim = claim(queue, "canceller", id);
        assertThat(t.client().post("/v1/jobs/" + id + "/cancel").status()).isEqualTo(202);

        Worker worker = pool.worker("canceller", Clock.systemUTC());
        assertThat(worker.execution().run(claim, p -> {})).isEqualTo(JobState.CANCELLED);

        JsonNode job = t.client().get("/v1/jobs/" + id).json();
        assertThat(job.get("state").asString()).isEqualTo("CANCELLED");
        assertThat(job.get("cancel_requested").asBoolean()).isTrue();
        assertThat(t.client()
                        .get("/v1/jobs/" + id + "/artifacts")
                        .json()
                        .get("items")
                        .size())
                .isZero();
        assertThat(store.list(t.id() + "/jobs/" + id + "/")).isEmpty();
        Path scratch = TestBackends.get().workDir().resolve("scratch");
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("job-" + id));
        }
    }

    @Test
    void aWorkerWhoseLeaseWasTakenOverStopsAtItsNextBatch() {
        TenantKey t = newTenant("lease-lost");
        UUID id = createJob(t, json(uploadMnist(t), uploadCalibration(t, 64), ""));
        Claim claim = claim(queue, "slow-worker", id);
        AttemptProgress progress = new AttemptProgress(claim, queue, Clock.systemUTC(), Duration.ofHours(1), metrics);
        progress.stage("calibrate");

        SettableClock later = new SettableClock();
        later.advance(queue.properties().leaseDuration().plusSeconds(1));
        assertThat(queue.withClock(later).reapExpired()).contains(new JobQueue.Reaped(id, JobState.QUEUED, 1));
        progress.heartbeat();
        assertThatThrownBy(() -> progress.batch(1, 10)).isInstanceOf(LeaseLostException.class);
        assertThat(t.client().get("/v1/jobs/" + id).json().get("state").asString())
                .as("the slow worker wrote nothing")
                .isEqualTo("QUEUED");
        jdbc.update("update jobs set state = 'CANCELLED' where id = ?", id);
    }
}
