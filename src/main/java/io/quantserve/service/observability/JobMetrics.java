package io.quantserve.service.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * The workers' timers, as Prometheus sees them:
 *
 * <ul>
 *   <li>{@code quantserve_claim_seconds{outcome="claimed"|"empty"}}: one claim statement ({@code … FOR UPDATE SKIP
 *       LOCKED}), whether it found a job or not;
 *   <li>{@code quantserve_batch_seconds{stage}}: one calibration or evaluation batch, from the end of the previous
 *       batch (the first batch of a stage counts from the stage's start, so it includes the stage's setup); stage is
 *       the first word of the engine's stage name ({@code calibrate}, {@code evaluate}, …);
 *   <li>{@code quantserve_job_duration_seconds{outcome}}: one attempt from its claim to its end; outcome is
 *       {@code succeeded}, {@code failed}, {@code cancelled}, {@code requeued} (a transient failure, retried later),
 *       {@code handed_back} (its process shut down) or {@code lease_lost}.
 * </ul>
 *
 * Durations are in nanoseconds of a monotonic clock ({@link System#nanoTime()}). Histogram buckets for percentiles
 * are off by default; {@code management.metrics.distribution.percentiles-histogram.quantserve=true} turns them on.
 */
@Component
public class JobMetrics {
    private final MeterRegistry registry;
    private final Timer claimed;
    private final Timer empty;

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.claimed = claimTimer("claimed");
        this.empty = claimTimer("empty");
    }

    /** One claim statement that took {@code nanos}; {@code found} when it returned a job. */
    public void claim(long nanos, boolean found) {
        (found ? claimed : empty).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One batch of {@code stage} (an engine stage name) that took {@code nanos}. */
    public void batch(String stage, long nanos) {
        Timer.builder("quantserve.batch")
                .description("Time per calibration or evaluation batch of a running job")
                .tag("stage", stageTag(stage))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One attempt that took {@code nanos} and ended with {@code outcome} (see the class comment). */
    public void attempt(String outcome, long nanos) {
        Timer.builder("quantserve.job.duration")
                .description("Time per job attempt, from its claim to its end, by outcome")
                .tag("outcome", outcome)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The first word of an engine stage name ("rollback: 3 layer(s) in float" → rollback): a bounded tag value. */
    static String stageTag(String stage) {
        int end = 0;
        while (end < stage.length() && Character.isLetterOrDigit(stage.charAt(end))) end++;
        return end == 0 ? "other" : stage.substring(0, end).toLowerCase(Locale.ROOT);
    }

    private Timer claimTimer(String outcome) {
        return Timer.builder("quantserve.claim")
                .description("Time per claim statement of an idle worker, whether it found a job or not")
                .tag("outcome", outcome)
                .register(registry);
    }
}
