package io.quantserve.service.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.quantserve.service.jobs.JobState;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Gauges counted in PostgreSQL, shared by every process on the same database (so any one instance's scrape shows the
 * whole queue):
 *
 * <ul>
 *   <li>{@code quantserve_jobs{state}}: jobs per state, every state present (0 when none);
 *   <li>{@code quantserve_queue_depth}: QUEUED jobs a worker could claim now (their retry backoff has passed).
 * </ul>
 *
 * Both come from one query, run at most once per {@link MetricsProperties#jobCountsMaxAge()} when a scrape reads
 * them. While the database cannot be reached the last counts stay (NaN before the first success).
 */
@Component
class JobCountMetrics implements MeterBinder {
    private static final Logger log = LoggerFactory.getLogger(JobCountMetrics.class);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final long maxAgeNanos;
    private @Nullable Counts counts;
    private long countedAt;

    JobCountMetrics(JdbcClient jdbc, Clock clock, MetricsProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.maxAgeNanos = properties.jobCountsMaxAge().toNanos();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (JobState state : JobState.values()) {
            Gauge.builder("quantserve.jobs", this, m -> m.jobs(state))
                    .description("Jobs per state, in the whole database")
                    .tag("state", state.name())
                    .register(registry);
        }
        Gauge.builder("quantserve.queue.depth", this, JobCountMetrics::claimable)
                .description("QUEUED jobs whose retry backoff has passed, claimable now")
                .register(registry);
    }

    private double jobs(JobState state) {
        Counts c = current();
        return c == null ? Double.NaN : c.byState().getOrDefault(state, 0L);
    }

    private double claimable() {
        Counts c = current();
        return c == null ? Double.NaN : c.claimable();
    }

    private synchronized @Nullable Counts current() {
        long now = System.nanoTime();
        if (counts == null || now - countedAt >= maxAgeNanos) {
            try {
                counts = count();
                countedAt = now;
            } catch (RuntimeException e) {
                log.debug("counting jobs for the metrics failed, keeping the last counts: {}", e.toString());
            }
        }
        return counts;
    }

    private Counts count() {
        Map<JobState, Long> byState = new EnumMap<>(JobState.class);
        long[] claimable = {0};
        jdbc.sql("SELECT state, count(*) AS n, count(*) FILTER (WHERE state = 'QUEUED'"
                        + " AND (not_before IS NULL OR not_before <= :now)) AS claimable FROM jobs GROUP BY state")
                .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                .query(rs -> {
                    byState.put(JobState.valueOf(rs.getString("state")), rs.getLong("n"));
                    claimable[0] += rs.getLong("claimable");
                });
        return new Counts(byState, claimable[0]);
    }

    private record Counts(Map<JobState, Long> byState, long claimable) {}
}
