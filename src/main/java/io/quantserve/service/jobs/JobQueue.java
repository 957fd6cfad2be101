package io.quantserve.service.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The worker side of the {@code jobs} table. Every method is one guarded statement (publication: one transaction),
 * so any number of workers in any number of processes share the table without other coordination:
 *
 * <ul>
 *   <li>{@link #claim}: {@code UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING …} hands the
 *       oldest claimable QUEUED job to exactly one worker, with a lease;
 *   <li>{@link #heartbeat} and {@link #progress} extend the lease or record progress only while the caller still
 *       holds it (same owner, same attempt, still RUNNING) and tell it whether a cancel was requested;
 *   <li>{@link #publish}, {@link #fail}, {@link #retry}, {@link #cancelled}, {@link #handBack} end an attempt, again
 *       only for the holder;
 *   <li>{@link #reapExpired} requeues the jobs whose lease ran out (with backoff), or fails them after
 *       {@link JobsProperties#maxAttempts()} attempts.
 * </ul>
 *
 * Time comes from the injected {@link Clock}, never from the database, so tests can move leases forward.
 */
@Component
public class JobQueue {
    /** Error code of a job whose last attempt's lease expired. */
    public static final String LEASE_EXPIRED = "lease-expired";

    static {
        // the outcomes each statement below can write, checked against the one transition table
        JobState.QUEUED.requireTransition("claim", JobState.RUNNING);
        for (JobState end : List.of(JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED, JobState.QUEUED)) {
            JobState.RUNNING.requireTransition("attempt end", end);
        }
    }

    private final JdbcClient jdbc;
    private final JobRows rows;
    private final TransactionTemplate transactions;
    private final JobsProperties properties;
    private final Clock clock;

    JobQueue(JdbcClient jdbc, JobRows rows, TransactionTemplate transactions, JobsProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.rows = rows;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
    }

    /** A queue on the same table with another clock (tests move time with it). */
    public JobQueue withClock(Clock other) {
        return new JobQueue(jdbc, rows, transactions, properties, other);
    }

    /** The queue's settings. */
    public JobsProperties properties() {
        return properties;
    }

    /**
     * Claims the oldest QUEUED job whose backoff has passed, for {@code owner}: one statement, so two workers never
     * claim the same job, and workers skip rows another worker is claiming instead of waiting for it.
     *
     * @return the claim, or empty when no job is claimable
     */
    public Optional<Claim> claim(String owner) {
        Instant now = now();
        Instant expires = now.plus(properties.leaseDuration());
        return jdbc.sql("UPDATE jobs SET state = 'RUNNING', lease_owner = :owner, lease_expires_at = :expires,"
                        + " attempts = attempts + 1, stage = 'claimed', progress = 0, batch_done = NULL,"
                        + " batch_total = NULL, timings = '{}'::json, not_before = NULL, started_at = :now,"
                        + " updated_at = :now"
                        + " WHERE id = (SELECT id FROM jobs WHERE state = 'QUEUED'"
                        + " AND (not_before IS NULL OR not_before <= :now)"
                        + " ORDER BY created_at, id FOR UPDATE SKIP LOCKED LIMIT 1)"
                        + " RETURNING " + JobRows.COLUMNS)
                .param("owner", owner)
                .param("expires", JobRows.at(expires))
                .param("now", JobRows.at(now))
                .query(rows)
                .optional()
                .map(job -> new Claim(job, owner, job.attempts(), expires));
    }

    /**
     * Extends the lease by {@link JobsProperties#leaseDuration()} from now.
     *
     * @return true when a cancel was requested
     * @throws LeaseLostException when the caller no longer holds the job
     */
    public boolean heartbeat(Claim claim) {
        Instant now = now();
        return jdbc.sql("UPDATE jobs SET lease_expires_at = :expires WHERE " + HELD + " RETURNING cancel_requested")
                .param("expires", JobRows.at(now.plus(properties.leaseDuration())))
                .params(held(claim))
                .query(Boolean.class)
                .optional()
                .orElseThrow(() -> new LeaseLostException(claim));
    }

    /**
     * Records progress (and extends the lease, as a heartbeat does).
     *
     * @return true when a cancel was requested
     * @throws LeaseLostException when the caller no longer holds the job
     */
    public boolean progress(Claim claim, JobProgress progress) {
        Instant now = now();
        return jdbc.sql(
                        "UPDATE jobs SET stage = :stage, progress = :fraction, batch_done = :done, batch_total = :total,"
                                + " timings = :timings::json, lease_expires_at = :expires, updated_at = :now WHERE "
                                + HELD
                                + " RETURNING cancel_requested")
                .param("stage", progress.stage())
                .param("fraction", progress.fraction())
                .param("done", progress.batchDone())
                .param("total", progress.batchTotal())
                .param("timings", rows.write(progress.timings()))
                .param("expires", JobRows.at(now.plus(properties.leaseDuration())))
                .param("now", JobRows.at(now))
                .params(held(claim))
                .query(Boolean.class)
                .optional()
                .orElseThrow(() -> new LeaseLostException(claim));
    }

    /**
     * Ends a successful attempt: in one transaction, inserts a row per uploaded artefact and flips the job to
     * SUCCEEDED, or, when a cancel was requested meanwhile, to CANCELLED without publishing anything.
     *
     * @param artifacts every artefact of the attempt, all already uploaded completely
     * @return SUCCEEDED or CANCELLED
     * @throws LeaseLostException when the caller no longer holds the job (nothing is written)
     */
    public JobState publish(Claim claim, List<Artifact> artifacts, JobResult result, Map<String, Double> timings) {
        Instant now = now();
        JobState outcome = transactions.execute(status -> {
            Boolean cancel = jdbc.sql("SELECT cancel_requested FROM jobs WHERE " + HELD + " FOR UPDATE")
                    .params(held(claim))
                    .query(Boolean.class)
                    .optional()
                    .orElseThrow(() -> new LeaseLostException(claim));
            if (cancel) {
                end(claim, JobState.CANCELLED, null, timings, now);
                return JobState.CANCELLED;
            }
            for (Artifact a : artifacts) {
                jdbc.sql("INSERT INTO job_artifacts (job_id, name, attempt, object_key, size_bytes, sha256,"
                                + " content_type, created_at) VALUES (:job, :name, :attempt, :key, :size, :sha,"
                                + " :type, :now)")
                        .param("job", a.jobId())
                        .param("name", a.name())
                        .param("attempt", a.attempt())
                        .param("key", a.objectKey())
                        .param("size", a.sizeBytes())
                        .param("sha", a.sha256())
                        .param("type", a.contentType())
                        .param("now", JobRows.at(now))
                        .update();
            }
            jdbc.sql("UPDATE jobs SET result = :result::jsonb WHERE id = :id")
                    .param("result", rows.write(result))
                    .param("id", claim.jobId())
                    .update();
            end(claim, JobState.SUCCEEDED, null, timings, now);
            return JobState.SUCCEEDED;
        });
        return Objects.requireNonNull(outcome);
    }

    /**
     * Ends an attempt whose input the engine refused: FAILED with {@code error}, no retry (the same input fails the
     * same way).
     *
     * @throws LeaseLostException when the caller no longer holds the job
     */
    public void fail(Claim claim, JobError error, Map<String, Double> timings) {
        end(claim, JobState.FAILED, error, timings, now());
    }

    /** Ends an attempt stopped by a cancel request: CANCELLED. */
    public void cancelled(Claim claim, Map<String, Double> timings) {
        end(claim, JobState.CANCELLED, null, timings, now());
    }

    /**
     * Ends an attempt that failed for a reason unrelated to the input (storage down, out of memory): QUEUED again
     * after the backoff, or FAILED with {@code error} when this was the last attempt.
     *
     * @return QUEUED or FAILED
     * @throws LeaseLostException when the caller no longer holds the job
     */
    public JobState retry(Claim claim, JobError error, Map<String, Double> timings) {
        if (claim.attempt() >= properties.maxAttempts()) {
            end(claim, JobState.FAILED, error, timings, now());
            return JobState.FAILED;
        }
        Instant now = now();
        int n = jdbc.sql("UPDATE jobs SET state = 'QUEUED', lease_owner = NULL, lease_expires_at = NULL,"
                        + " not_before = :notBefore, error = :error::jsonb, timings = :timings::json,"
                        + " updated_at = :now WHERE " + HELD)
                .param("notBefore", JobRows.at(now.plus(backoff(claim.attempt()))))
                .param("error", rows.write(error))
                .param("timings", rows.write(timings))
                .param("now", JobRows.at(now))
                .params(held(claim))
                .update();
        if (n != 1) throw new LeaseLostException(claim);
        return JobState.QUEUED;
    }

    /**
     * Hands an attempt back because its worker's process is shutting down: QUEUED again at once (no backoff), lease
     * released, and the attempt not counted (attempts goes back down by one), so a rolling restart neither delays the
     * job by a lease expiry nor moves it towards {@link JobsProperties#maxAttempts()}. The row looks as it did before
     * the claim (no stage, no progress). When a cancel was requested meanwhile the job ends CANCELLED instead.
     *
     * <p>The caller must have stopped working on the attempt and removed its uploads first: the next claim may get
     * the same attempt number, hence the same object prefix.
     *
     * @return QUEUED or CANCELLED
     * @throws LeaseLostException when the caller no longer holds the job
     */
    public JobState handBack(Claim claim, Map<String, Double> timings) {
        Instant now = now();
        int n = jdbc.sql("UPDATE jobs SET state = 'QUEUED', attempts = attempts - 1, lease_owner = NULL,"
                        + " lease_expires_at = NULL, not_before = NULL, stage = NULL, progress = 0,"
                        + " batch_done = NULL, batch_total = NULL, timings = '{}'::json, started_at = NULL,"
                        + " updated_at = :now WHERE " + HELD + " AND NOT cancel_requested")
                .param("now", JobRows.at(now))
                .params(held(claim))
                .update();
        if (n == 1) return JobState.QUEUED;
        end(claim, JobState.CANCELLED, null, timings, now);
        return JobState.CANCELLED;
    }

    /**
     * Requeues every RUNNING job whose lease has expired (a dead or stuck worker), to be claimed again after the
     * backoff; fails those that used their last attempt ({@value #LEASE_EXPIRED}) and cancels those with a pending
     * cancel request.
     *
     * @return the jobs changed and their new state
     */
    public List<Reaped> reapExpired() {
        Instant now = now();
        String expired = rows.write(new JobError(
                LEASE_EXPIRED,
                "the worker running attempt " + properties.maxAttempts() + " stopped heartbeating (lease of "
                        + properties.leaseDuration().toMillis() + " ms expired) and no attempt is left",
                null,
                null));
        return jdbc.sql("UPDATE jobs SET"
                        + " state = CASE WHEN cancel_requested THEN 'CANCELLED'"
                        + "   WHEN attempts >= :max THEN 'FAILED' ELSE 'QUEUED' END,"
                        + " error = CASE WHEN NOT cancel_requested AND attempts >= :max THEN :expired::jsonb"
                        + "   ELSE error END,"
                        + " finished_at = CASE WHEN cancel_requested OR attempts >= :max THEN :now END,"
                        + " not_before = CASE WHEN cancel_requested OR attempts >= :max THEN NULL ELSE :now"
                        + "   + make_interval(secs => LEAST(:maxBackoff, :backoff * power(2, attempts - 1))) END,"
                        + " lease_owner = NULL, lease_expires_at = NULL, updated_at = :now"
                        + " WHERE state = 'RUNNING' AND lease_expires_at < :now"
                        + " RETURNING id, state, attempts")
                .param("max", properties.maxAttempts())
                .param("expired", expired)
                .param("now", JobRows.at(now))
                .param("backoff", seconds(properties.retryBackoff()))
                .param("maxBackoff", seconds(properties.retryBackoffMax()))
                .query((rs, i) -> new Reaped(
                        rs.getObject("id", UUID.class), JobState.valueOf(rs.getString("state")), rs.getInt("attempts")))
                .list();
    }

    /**
     * A job the reaper changed.
     *
     * @param attempts the attempts it had used
     */
    public record Reaped(UUID jobId, JobState state, int attempts) {}

    private static final String HELD =
            "id = :heldId AND state = 'RUNNING' AND lease_owner = :heldOwner AND attempts = :heldAttempt";

    private static Map<String, Object> held(Claim claim) {
        return Map.of("heldId", claim.jobId(), "heldOwner", claim.owner(), "heldAttempt", claim.attempt());
    }

    private void end(Claim claim, JobState state, JobError error, Map<String, Double> timings, Instant now) {
        JobState.RUNNING.requireTransition(claim.jobId(), state);
        int n = jdbc.sql("UPDATE jobs SET state = :state, error = :error::jsonb, timings = :timings::json,"
                        + " stage = CASE WHEN :state = 'SUCCEEDED' THEN 'done' ELSE stage END,"
                        + " progress = CASE WHEN :state = 'SUCCEEDED' THEN 1 ELSE progress END,"
                        + " batch_done = CASE WHEN :state = 'SUCCEEDED' THEN NULL ELSE batch_done END,"
                        + " batch_total = CASE WHEN :state = 'SUCCEEDED' THEN NULL ELSE batch_total END,"
                        + " lease_owner = NULL, lease_expires_at = NULL, finished_at = :now, updated_at = :now"
                        + " WHERE " + HELD)
                .param("state", state.name())
                .param("error", rows.write(error))
                .param("timings", rows.write(timings))
                .param("now", JobRows.at(now))
                .params(held(claim))
                .update();
        if (n != 1) throw new LeaseLostException(claim);
    }

    private Duration backoff(int attempt) {
        Duration d = properties.retryBackoff().multipliedBy(1L << Math.min(20, Math.max(0, attempt - 1)));
        return d.compareTo(properties.retryBackoffMax()) > 0 ? properties.retryBackoffMax() : d;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
