package io.quantserve.service.jobs;

import io.quantserve.service.web.Cursor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code jobs} table for the API side: insert, read, list, cancel. Plain SQL rather than JPA because the worker
 * side ({@link JobQueue}) changes rows with guarded single statements ({@code FOR UPDATE SKIP LOCKED}, lease checks)
 * that a managed entity would fight with; both sides read rows through the same {@link JobRows}.
 */
@Repository
class Jobs {
    private final JdbcClient jdbc;
    private final JobRows rows;

    Jobs(JdbcClient jdbc, JobRows rows) {
        this.jdbc = jdbc;
        this.rows = rows;
    }

    /**
     * Inserts a QUEUED job unless the tenant already has one with the same idempotency key.
     *
     * @return true when the row was inserted
     */
    boolean insert(UUID id, UUID tenant, JobSpec spec, @Nullable String idempotencyKey, Instant now) {
        int n = jdbc.sql("INSERT INTO jobs (id, tenant_id, state, model_id, dataset_id, evaluation_dataset_id,"
                        + " from_job_id, options, idempotency_key, created_at, updated_at)"
                        + " VALUES (:id, :tenant, 'QUEUED', :model, :dataset, :evaluation, :from, :options::jsonb,"
                        + " :key, :now, :now) ON CONFLICT (tenant_id, idempotency_key) DO NOTHING")
                .param("id", id)
                .param("tenant", tenant)
                .param("model", spec.modelId())
                .param("dataset", spec.datasetId())
                .param("evaluation", spec.evaluationDatasetId())
                .param("from", spec.fromJobId())
                .param("options", rows.write(spec.options()))
                .param("key", idempotencyKey)
                .param("now", JobRows.at(now))
                .update();
        return n == 1;
    }

    /**
     * Makes the tenant's job creations wait for each other until the surrounding transaction ends, so that counting
     * {@link #active} and inserting are one step for the tenant.
     */
    void lockTenant(UUID tenant) {
        jdbc.sql("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(:tenant, 0))) AS locked")
                .param("tenant", "jobs:" + tenant)
                .query(Integer.class)
                .single();
    }

    /** The tenant's QUEUED and RUNNING jobs. */
    int active(UUID tenant) {
        return jdbc.sql("SELECT count(*) FROM jobs WHERE tenant_id = :tenant AND state IN ('QUEUED', 'RUNNING')")
                .param("tenant", tenant)
                .query(Integer.class)
                .single();
    }

    Optional<Job> find(UUID tenant, UUID id) {
        return jdbc.sql("SELECT " + JobRows.COLUMNS + " FROM jobs WHERE id = :id AND tenant_id = :tenant")
                .param("id", id)
                .param("tenant", tenant)
                .query(rows)
                .optional();
    }

    Optional<Job> findByIdempotencyKey(UUID tenant, String key) {
        return jdbc.sql("SELECT " + JobRows.COLUMNS + " FROM jobs WHERE tenant_id = :tenant AND idempotency_key = :key")
                .param("tenant", tenant)
                .param("key", key)
                .query(rows)
                .optional();
    }

    /** The tenant's jobs in the given states (all when empty), newest first, {@code limit} after {@code after}. */
    List<Job> newest(UUID tenant, Set<JobState> states, @Nullable Cursor after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + JobRows.COLUMNS + " FROM jobs WHERE tenant_id = :tenant");
        if (!states.isEmpty()) sql.append(" AND state IN (:states)");
        if (after != null) sql.append(" AND (created_at, id) < (:at, :id)");
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
        JdbcClient.StatementSpec statement =
                jdbc.sql(sql.toString()).param("tenant", tenant).param("limit", limit);
        if (!states.isEmpty()) {
            List<String> names = new ArrayList<>();
            states.forEach(s -> names.add(s.name()));
            statement = statement.param("states", names);
        }
        if (after != null) {
            statement = statement.param("at", JobRows.at(after.createdAt())).param("id", after.id());
        }
        return statement.query(rows).list();
    }

    /** QUEUED → CANCELLED in one guarded statement; false when the job was no longer QUEUED. */
    boolean cancelQueued(UUID tenant, UUID id, Instant now) {
        JobState.QUEUED.requireTransition(id, JobState.CANCELLED);
        return jdbc.sql("UPDATE jobs SET state = 'CANCELLED', cancel_requested = true, stage = NULL,"
                                + " finished_at = :now, updated_at = :now, not_before = NULL"
                                + " WHERE id = :id AND tenant_id = :tenant AND state = 'QUEUED'")
                        .param("id", id)
                        .param("tenant", tenant)
                        .param("now", JobRows.at(now))
                        .update()
                == 1;
    }

    /** Asks the worker of a RUNNING job to stop; false when the job was no longer RUNNING. */
    boolean requestCancel(UUID tenant, UUID id, Instant now) {
        JobState.RUNNING.requireTransition(id, JobState.CANCELLED);
        return jdbc.sql("UPDATE jobs SET cancel_requested = true, updated_at = :now"
                                + " WHERE id = :id AND tenant_id = :tenant AND state = 'RUNNING'")
                        .param("id", id)
                        .param("tenant", tenant)
                        .param("now", JobRows.at(now))
                        .update()
                == 1;
    }
}
