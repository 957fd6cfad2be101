package io.quantserve.service.observability;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the service's own meters ({@code quantserve.metrics.*}).
 *
 * @param jobCountsMaxAge how old the job counts behind {@code quantserve_jobs} and {@code quantserve_queue_depth} may
 *     be: a scrape after that runs the counting query again (one {@code GROUP BY state} over the jobs table), so
 *     frequent scrapes by several Prometheus servers cost the database one query per this interval
 */
@ConfigurationProperties("quantserve.metrics")
public record MetricsProperties(@DefaultValue("10s") Duration jobCountsMaxAge) {
    public MetricsProperties {
        if (jobCountsMaxAge.isNegative()) {
            throw new IllegalArgumentException(
                    "quantserve.metrics.job-counts-max-age must be >= 0: " + jobCountsMaxAge);
        }
    }
}
