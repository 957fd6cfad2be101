package io.quantserve.service.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.service.jobs.Claim;
import io.quantserve.service.jobs.JobQueue;
import io.quantserve.service.jobs.JobResult;
import io.quantserve.service.jobs.JobState;
import io.quantserve.service.jobs.LeaseLostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Leases with time as a port: a worker that claims a job and goes silent loses it once the clock passes its lease;
 * the reaper requeues it with a backoff, another worker finishes it as attempt 2, and the silent worker's late writes
 * are refused. After the last attempt the job fails with {@code lease-expired}. The application's own pool is paused
 * so that only the workers made here touch the queue.
 */
class LeaseExpiryTest extends PausedPoolJobTest {
    @Test
    void anExpiredLeaseIsRequeuedAndFinishedByAnotherWorker() {
        TenantKey t = newTenant("lease");
        UUID id = createJob(t, json(uploadMnist(t), uploadCalibration(t, 64), "\"batch_num\":1"));
        Duration lease = queue.properties().leaseDuration();
        SettableClock clock = new SettableClock();
        JobQueue silentQueue = queue.withClock(Clock.systemUTC());

        Claim silent = claim(silentQueue, "silent-worker", id);
        assertThat(silent.attempt()).isEqualTo(1);
        assertThat(mine(queue.withClock(clock).reapExpired(), id))
                .as("the lease still runs")
                .isEmpty();

        clock.advance(lease.plusSeconds(1));
        assertThat(mine(queue.withClock(clock).reapExpired(), id))
                .containsExactly(new JobQueue.Reaped(id, JobState.QUEUED, 1));
        JsonNode requeued = t.client().get("/v1/jobs/" + id).json();
        assertThat(requeued.get("state").asString()).isEqualTo("QUEUED");
        assertThat(queue.withClock(clock).claim("too-early"))
                .as("the retry backoff holds the job back")
                .isEmpty();

        assertThatThrownBy(() -> silentQueue.heartbeat(silent)).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> silentQueue.publish(silent, List.of(), result(), Map.of()))
                .isInstanceOf(LeaseLostException.class);

        clock.advance(queue.properties().retryBackoff().plusMillis(50));
        Worker rescuer = pool.worker("rescuer", clock);
        assertThat(rescuer.runOnce(p -> {})).hasValue(JobState.SUCCEEDED);

        JsonNode done = t.client().get("/v1/jobs/" + id).json();
        assertThat(done.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("attempts").asInt()).isEqualTo(2);
        for (JsonNode a : t.client().get("/v1/jobs/" + id + "/artifacts").json().get("items")) {
            assertThat(a.get("attempt").asInt()).isEqualTo(2);
        }
        assertThat(jdbc.queryForList("select object_key from job_artifacts where job_id = ?", String.class, id))
                .allMatch(k -> k.startsWith(t.id() + "/jobs/" + id + "/attempts/2/"));
        assertThatThrownBy(() -> silentQueue.cancelled(silent, Map.of())).isInstanceOf(LeaseLostException.class);
    }

    @Test
    void afterTheLastAttemptTheJobFailsWithLeaseExpired() {
        TenantKey t = newTenant("lease-max");
        UUID id = createJob(t, json(uploadMnist(t), uploadCalibration(t, 64), "\"batch_num\":1"));
        SettableClock clock = new SettableClock();
        int max = queue.properties().maxAttempts();
        for (int attempt = 1; attempt <= max; attempt++) {
            Claim c = claim(queue.withClock(clock), "dying-worker-" + attempt, id);
            assertThat(c.attempt()).isEqualTo(attempt);
            clock.advance(queue.properties().leaseDuration().plusSeconds(1));
            JobState expected = attempt < max ? JobState.QUEUED : JobState.FAILED;
            assertThat(mine(queue.withClock(clock).reapExpired(), id))
                    .containsExactly(new JobQueue.Reaped(id, expected, attempt));
            clock.advance(queue.properties().retryBackoffMax());
        }
        JsonNode failed = t.client().get("/v1/jobs/" + id).json();
        assertThat(failed.get("state").asString()).isEqualTo("FAILED");
        assertThat(failed.get("error").get("code").asString()).isEqualTo(JobQueue.LEASE_EXPIRED);
        assertThat(failed.get("attempts").asInt()).isEqualTo(max);
        assertThat(queue.withClock(clock).claim("late")).isEmpty();
    }

    private static List<JobQueue.Reaped> mine(List<JobQueue.Reaped> reaped, UUID id) {
        return reaped.stream().filter(r -> r.jobId().equals(id)).toList();
    }

    private static JobResult result() {
        return new JobResult(List.of(), List.of(), List.of(), List.of(), List.of(), null);
    }
}
