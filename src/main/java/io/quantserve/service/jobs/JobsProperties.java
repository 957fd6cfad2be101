package io.quantserve.service.jobs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the job queue ({@code quantserve.jobs.*}), shared by every process using the same database.
 *
 * @param leaseDuration how long a claim holds a job without a heartbeat; a worker that stops heartbeating (killed,
 *     partitioned) loses the job this long after its last heartbeat
 * @param maxAttempts claims a job gets; when the lease of the last one expires the job FAILS ({@code lease-expired})
 * @param retryBackoff wait before a requeued job may be claimed again, doubled with every attempt
 * @param retryBackoffMax the longest such wait
 * @param eventsPollInterval how often a Server-Sent Events stream looks for news of its job
 * @param presignValidity how long a presigned artefact URL ({@code ?redirect=true}) stays valid
 */
@ConfigurationProperties("quantserve.jobs")
public record JobsProperties(
        @DefaultValue("60s") Duration leaseDuration,
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("10s") Duration retryBackoff,
        @DefaultValue("10m") Duration retryBackoffMax,
        @DefaultValue("250ms") Duration eventsPollInterval,
        @DefaultValue("15m") Duration presignValidity) {
    public JobsProperties {
        if (leaseDuration.toMillis() < 100) {
            throw new IllegalArgumentException(
                    "quantserve.jobs.lease-duration must be at least 100ms: " + leaseDuration);
        }
        if (maxAttempts < 1) throw new IllegalArgumentException("quantserve.jobs.max-attempts must be >= 1");
        if (retryBackoff.isNegative() || retryBackoffMax.compareTo(retryBackoff) < 0) {
            throw new IllegalArgumentException(
                    "quantserve.jobs.retry-backoff must be >= 0 and at most quantserve.jobs.retry-backoff-max");
        }
    }
}
