package io.quantserve.service.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Reads {@code jobs} rows into {@link Job}s and writes the JSON columns; the SQL types PostgreSQL's driver takes. */
@Component
class JobRows implements RowMapper<Job> {
    /** Every column of {@code jobs}, in {@link Job}'s order. */
    static final String COLUMNS = "id, tenant_id, state, stage, progress, model_id, dataset_id, evaluation_dataset_id,"
            + " from_job_id, options, idempotency_key, attempts, lease_owner, lease_expires_at, cancel_requested,"
            + " not_before, batch_done, batch_total, timings, result, error, started_at, finished_at, created_at,"
            + " updated_at";

    private static final TypeReference<LinkedHashMap<String, Double>> TIMINGS = new TypeReference<>() {};

    private final JsonMapper json;

    JobRows(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Job mapRow(ResultSet rs, int rowNum) throws SQLException {
        return new Job(
                rs.getObject("id", UUID.class),
                rs.getObject("tenant_id", UUID.class),
                JobState.valueOf(rs.getString("state")),
                rs.getString("stage"),
                rs.getDouble("progress"),
                rs.getObject("model_id", UUID.class),
                rs.getObject("dataset_id", UUID.class),
                rs.getObject("evaluation_dataset_id", UUID.class),
                rs.getObject("from_job_id", UUID.class),
                json.readValue(rs.getString("options"), JobOptions.class),
                rs.getString("idempotency_key"),
                rs.getInt("attempts"),
                rs.getString("lease_owner"),
                instant(rs, "lease_expires_at"),
                rs.getBoolean("cancel_requested"),
                instant(rs, "not_before"),
                integer(rs, "batch_done"),
                integer(rs, "batch_total"),
                timings(rs.getString("timings")),
                read(rs.getString("result"), JobResult.class),
                read(rs.getString("error"), JobError.class),
                instant(rs, "started_at"),
                instant(rs, "finished_at"),
                java.util.Objects.requireNonNull(instant(rs, "created_at")),
                java.util.Objects.requireNonNull(instant(rs, "updated_at")));
    }

    /** JSON text of a value for a {@code jsonb} parameter ({@code ?::jsonb}); null stays null. */
    @Nullable
    String write(@Nullable Object value) {
        return value == null ? null : json.writeValueAsString(value);
    }

    /** A timestamp parameter the driver accepts. */
    static @Nullable OffsetDateTime at(@Nullable Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private Map<String, Double> timings(@Nullable String text) {
        return text == null ? Map.of() : json.readValue(text, TIMINGS);
    }

    private <T> @Nullable T read(@Nullable String text, Class<T> type) {
        return text == null ? null : json.readValue(text, type);
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static @Nullable Integer integer(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }
}
