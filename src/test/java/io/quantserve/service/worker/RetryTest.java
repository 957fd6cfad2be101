package io.quantserve.service.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.service.jobs.JobQueue;
import io.quantserve.service.jobs.JobState;
import io.quantserve.service.storage.ObjectContent;
import java.io.ByteArrayInputStream;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The retry path of {@link JobQueue#retry}, driven by real workers on a settable clock: an attempt that fails for a
 * reason unrelated to the input (here the calibration dataset's object is missing from the store) puts the job back
 * in the queue behind a backoff that doubles with each attempt; a later attempt that finds the object succeeds, and
 * after the last attempt the job fails. The application's own pool is paused so that only these workers claim.
 */
class RetryTest extends PausedPoolJobTest {
    @Test
    void aTransientFailureIsRetriedAfterTheBackoffAndTheNextAttemptSucceeds() throws Exception {
        TenantKey t = newTenant("retry");
        UUID data = uploadCalibration(t, 32);
        UUID id = createJob(t, json(uploadMnist(t), data, "\"batch_size\":16,\"batch_num\":1"));
        String key = jdbc.queryForObject("select object_key from datasets where id = ?", String.class, data);
        byte[] content;
        try (ObjectContent c = store.get(key, null)) {
            content = c.stream().readAllBytes();
        }
        store.delete(key);
        SettableClock clock = new SettableClock();
        Worker worker = pool.worker("retrying-worker", clock);

        Instant before = clock.instant();
        assertThat(worker.runOnce(p -> {})).hasValue(JobState.QUEUED);
        Instant after = clock.instant();

        JsonNode requeued = t.client().get("/v1/jobs/" + id).json();
        assertThat(requeued.get("state").asString()).isEqualTo("QUEUED");
        assertThat(requeued.get("attempts").asInt()).isEqualTo(1);
        assertThat(requeued.get("error").get("code").asString()).isEqualTo("internal-error");
        assertThat(requeued.get("error").get("stage").asString()).isEqualTo("fetch");
        Duration backoff = queue.properties().retryBackoff();
        assertThat(notBefore(id))
                .as("claimable again one backoff after the attempt failed")
                .isBetween(before.plus(backoff), after.plus(backoff));

        store.put(key, new ByteArrayInputStream(content), content.length, "application/octet-stream");
        clock.advance(Duration.between(clock.instant(), notBefore(id)).plusMillis(1));
        assertThat(worker.runOnce(p -> {})).hasValue(JobState.SUCCEEDED);

        JsonNode done = t.client().get("/v1/jobs/" + id).json();
        assertThat(done.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("attempts").asInt()).isEqualTo(2);
        assertThat(done.get("error").isNull()).isTrue();
    }

    @Test
    void aFailureOnEveryAttemptFailsTheJobAfterTheLastWithDoublingBackoffs() {
        TenantKey t = newTenant("retry-max");
        UUID data = uploadCalibration(t, 32);
        UUID id = createJob(t, json(uploadMnist(t), data, "\"batch_size\":16,\"batch_num\":1"));
        store.delete(jdbc.queryForObject("select object_key from datasets where id = ?", String.class, data));
        SettableClock clock = new SettableClock();
        Worker worker = pool.worker("failing-worker", clock);
        int max = queue.properties().maxAttempts();

        for (int attempt = 1; attempt <= max; attempt++) {
            Instant before = clock.instant();
            JobState expected = attempt < max ? JobState.QUEUED : JobState.FAILED;
            assertThat(worker.runOnce(p -> {})).as("attempt %d", attempt).hasValue(expected);
            Instant after = clock.instant();
            if (attempt == max) break;
            Duration backoff = queue.properties().retryBackoff().multipliedBy(1L << (attempt - 1));
            assertThat(notBefore(id))
                    .as("backoff after attempt %d doubles with each attempt", attempt)
                    .isBetween(before.plus(backoff), after.plus(backoff));
            clock.advance(Duration.between(clock.instant(), notBefore(id)).plusMillis(1));
        }

        JsonNode failed = t.client().get("/v1/jobs/" + id).json();
        assertThat(failed.get("state").asString()).isEqualTo("FAILED");
        assertThat(failed.get("attempts").asInt()).isEqualTo(max);
        assertThat(failed.get("error").get("code").asString()).isEqualTo("internal-error");
        assertThat(failed.get("error").get("message").asString()).startsWith("attempt " + max + " failed");
        assertThat(notBefore(id)).as("a failed job waits for nothing").isNull();
    }

    private @Nullable Instant notBefore(UUID id) {
        Timestamp at = jdbc.queryForObject("select not_before from jobs where id = ?", Timestamp.class, id);
        return at == null ? null : at.toInstant();
    }
}
