package io.quantserve.service.jobs.web;

import io.quantserve.service.jobs.Job;
import io.quantserve.service.jobs.JobCatalog;
import io.quantserve.service.jobs.JobsProperties;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events streams of jobs. Each stream looks at its job every {@code quantserve.jobs.events-poll-interval}
 * (the row is the truth, whichever process runs the job) and sends a {@code job} event whenever state, stage or
 * progress changed; the stream ends after the event that shows a terminal state. A comment line every
 * {@link #KEEP_ALIVE} keeps proxies from closing a quiet stream.
 */
@Component
class JobEventStreams {
    /** The event name of every event. */
    static final String EVENT = "job";
    /** How long a stream may stay open. */
    static final Duration MAX_DURATION = Duration.ofHours(6);
    /** Quiet time after which a keep-alive comment is sent. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final JobCatalog catalog;
    private final Clock clock;
    private final Duration poll;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "quantserve-job-events");
        t.setDaemon(true);
        return t;
    });

    JobEventStreams(JobCatalog catalog, JobsProperties properties, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
        this.poll = properties.eventsPollInterval();
    }

    /** Opens a stream of the tenant's job; the job must exist (checked by the caller). */
    SseEmitter open(UUID tenant, UUID id) {
        SseEmitter emitter = new SseEmitter(MAX_DURATION.toMillis());
        Stream stream = new Stream(tenant, id, emitter);
        ScheduledFuture<?> task =
                timer.scheduleWithFixedDelay(stream::tick, 0, Math.max(1, poll.toMillis()), TimeUnit.MILLISECONDS);
        stream.task.set(task);
        emitter.onCompletion(() -> task.cancel(false));
        emitter.onTimeout(() -> task.cancel(false));
        emitter.onError(e -> task.cancel(false));
        return emitter;
    }

    @PreDestroy
    void shutdown() {
        timer.shutdownNow();
    }

    /** One client's stream. */
    private final class Stream {
        private final UUID tenant;
        private final UUID id;
        private final SseEmitter emitter;
        private final AtomicReference<@Nullable ScheduledFuture<?>> task = new AtomicReference<>();
        private @Nullable String last;
        private long sent;
        private long quietSince = System.nanoTime();

        Stream(UUID tenant, UUID id, SseEmitter emitter) {
            this.tenant = tenant;
            this.id = id;
            this.emitter = emitter;
        }

        void tick() {
            try {
                Job job = catalog.get(tenant, id);
                String key = job.state() + "|" + job.stage() + "|" + job.progress() + "|" + job.batchDone() + "|"
                        + job.cancelRequested() + "|" + job.updatedAt();
                if (!key.equals(last)) {
                    last = key;
                    emitter.send(SseEmitter.event()
                            .name(EVENT)
                            .id(Long.toString(++sent))
                            .data(JobView.of(job, clock.instant()), MediaType.APPLICATION_JSON));
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince > KEEP_ALIVE.toNanos()) {
                    emitter.send(SseEmitter.event().comment("keep-alive"));
                    quietSince = System.nanoTime();
                }
                if (job.state().isTerminal()) finish(null);
            } catch (IOException | IllegalStateException e) {
                finish(null);
            } catch (RuntimeException e) {
                finish(e);
            }
        }

        private void finish(@Nullable Throwable failure) {
            ScheduledFuture<?> t = task.get();
            if (t != null) t.cancel(false);
            if (failure == null) emitter.complete();
            else emitter.completeWithError(Objects.requireNonNull(failure));
        }
    }
}
