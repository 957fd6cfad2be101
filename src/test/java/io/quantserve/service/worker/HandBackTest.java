package io.quantserve.service.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.service.jobs.Claim;
import io.quantserve.service.jobs.JobState;
import io.quantserve.service.jobs.LeaseLostException;
import io.quantserve.service.support.TestBackends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Handing a job back when the worker's process shuts down, step by step (no timing involved): the attempt stops at its
 * first boundary, its uploads and scratch folder are removed, and the job is QUEUED again at once, lease released,
 * the attempt not counted; the next claim gets the same attempt number and finishes the job. A pending cancel wins over
 * the hand-back, and a worker that lost its lease cannot hand anything back. The application's pool is paused so that
 * only the workers made here claim.
 */
class HandBackTest extends PausedPoolJobTest {
    @Test
    void aHandedBackJobIsQueuedAtOnceWithoutUsingAnAttemptAndFinishesLater() throws Exception {
        TenantKey t = newTenant("hand-back");
        UUID id = createJob(t, json(uploadMnist(t), uploadCalibration(t, 16), "\"batch_size\":16,\"batch_num\":1"));
        Claim claim = claim(queue, "stopping", id);
        assertThat(claim.attempt()).isEqualTo(1);

        Worker stopping = pool.worker("stopping", Clock.systemUTC());
        assertThat(stopping.execution().run(claim, p -> {
                    if (p != null) p.handBack();
                }))
                .isEqualTo(JobState.QUEUED);

        Map<String, Object> row = jdbc.queryForMap(
                "select state, attempts, lease_owner, lease_expires_at, not_before, stage, progress, error"
                        + " from jobs where id = ?",
                id);
        assertThat(row.get("state")).isEqualTo("QUEUED");
        assertThat(row.get("attempts")).as("the attempt does not count").isEqualTo(0);
        assertThat(row.get("lease_owner")).isNull();
        assertThat(row.get("lease_expires_at")).isNull();
        assertThat(row.get("not_before")).as("claimable at once, no backoff").isNull();
        assertThat(row.get("stage")).isNull();
        assertThat(row.get("error")).isNull();
        assertThat(store.list(t.id() + "/jobs/" + id + "/")).isEmpty();
        Path scratch = TestBackends.get().workDir().resolve("scratch");
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("job-" + id));
        }

        Worker next = pool.worker("next", Clock.systemUTC());
        Claim again = claim(queue, "next", id);
        assertThat(again.attempt()).isEqualTo(1);
        assertThat(next.execution().run(again, p -> {})).isEqualTo(JobState.SUCCEEDED);
        assertThat(t.client().get("/v1/jobs/" + id).json().get("attempts").asInt())
                .isEqualTo(1);
    }

    @Test
    void aPendingCancelWinsOverTheHandBack() {
        TenantKey t = newTenant("hand-back-cancel");
        UUID id = createJob(t, json(uploadMnist(t), uploadCalibration(t, 16), "\"batch_num\":1"));
        Claim claim = claim(queue, "stopping", id);
        assertThat(t.client().post("/v1/jobs/" + id + "/cancel").status()).isEqualTo(202);

        assertThat(queue.handBack(claim, Map.of())).isEqualTo(JobState.CANCELLED);
        assertThat(t.client().get("/v1/jobs/" + id).json().get("state").asString())
                .isEqualTo("CANCELLED");
    }

    @Test
    void onlyTheHolderCanHandAJobBack() {
        TenantKey t = newTenant("hand-back-lost");
        UUID id = createJob(t, json(uploadMnist(t), uploadCalibration(t, 16), "\"batch_num\":1"));
        Claim claim = claim(queue, "stopping", id);
        Claim impostor = new Claim(claim.job(), "someone-else", claim.attempt(), claim.leaseExpiresAt());

        assertThatThrownBy(() -> queue.handBack(impostor, Map.of())).isInstanceOf(LeaseLostException.class);
        assertThat(jdbc.queryForObject("select lease_owner from jobs where id = ?", String.class, id))
                .isEqualTo("stopping");
        queue.cancelled(claim, Map.of());
    }
}
