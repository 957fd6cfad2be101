package io.quantserve.service.worker;

import io.quantserve.service.datasets.DatasetCatalog;
import io.quantserve.service.jobs.ArtifactCatalog;
import io.quantserve.service.jobs.JobCatalog;
import io.quantserve.service.jobs.JobQueue;
import io.quantserve.service.jobs.JobQueued;
import io.quantserve.service.jobs.JobState;
import io.quantserve.service.models.ModelCatalog;
import io.quantserve.service.observability.JobMetrics;
import io.quantserve.service.storage.ObjectStore;
import io.quantserve.service.web.UploadSpool;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worker threads of this process ({@code quantserve.worker.threads}, when {@code quantserve.role} runs workers),
 * plus two timers: heartbeats that extend the leases of the jobs running here, and the reaper that requeues jobs
 * whose worker died (in any process). Idle workers poll the queue; a job queued in this process wakes them at once.
 *
 * <p>On shutdown (the context closing, e.g. on SIGTERM) the workers stop claiming and every running attempt is asked
 * to stop at its next batch or stage boundary and hand its job back: the job is QUEUED again at once with its lease
 * released and the attempt not counted ({@link JobQueue#handBack}), so another process picks it up without waiting for
 * the lease to expire. The process waits for that up to {@code spring.lifecycle.timeout-per-shutdown-phase}; a job
 * whose attempt has not reached a boundary by then is requeued by the reaper of another process once its lease
 * expires, as if this process had died. On SIGTERM and SIGINT this happens before the JVM's shutdown hooks run
 * ({@link ShutdownSignals}).
 */
@Component
public class WorkerPool implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

    private final WorkerProperties properties;
    private final JobQueue queue;
    private final ApplicationEventPublisher events;
    private final Function<Clock, JobExecution> executions;
    private final JobMetrics metrics;
    private final Duration shutdownGrace;
    private final List<Worker> workers = new ArrayList<>();
    private final Map<String, AttemptProgress> running = new ConcurrentHashMap<>();
    private final Object signal = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private @Nullable ScheduledExecutorService timers;
    private @Nullable ScheduledFuture<?> reaping;
    private volatile boolean active;
    private volatile boolean paused;

    WorkerPool(
            WorkerProperties properties,
            JobQueue queue,
            JobCatalog jobs,
            ArtifactCatalog artifacts,
            ModelCatalog models,
            DatasetCatalog datasets,
            UploadSpool spool,
            ObjectStore store,
            JsonMapper json,
            ApplicationEventPublisher events,
            JobMetrics metrics,
            @Value("${spring.lifecycle.timeout-per-shutdown-phase:30s}") Duration shutdownGrace,
            Clock clock) {
        this.properties = properties;
        this.queue = queue;
        this.events = events;
        this.metrics = metrics;
        this.shutdownGrace = shutdownGrace;
        this.executions = clockOf -> new JobExecution(
                queue.withClock(clockOf),
                jobs,
                artifacts,
                models,
                datasets,
                spool,
                new ArtifactUploader(store, clockOf),
                json,
                clockOf,
                properties.worker().progressInterval(),
                metrics);
        JobExecution execution = executions.apply(clock);
        String prefix = properties.worker().idOrDefault();
        for (int i = 1; i <= properties.worker().threads(); i++) {
            workers.add(new Worker(prefix + "-" + i, queue, execution, metrics));
        }
    }

    /**
     * A worker outside the pool's threads with its own id and clock, run by the caller ({@link Worker#runOnce}):
     * tests use it to play a second process whose time is ahead.
     */
    Worker worker(String id, Clock clock) {
        return new Worker(id, queue.withClock(clock), executions.apply(clock), metrics);
    }

    /** The workers of this pool (one per thread), whether or not the role runs them. */
    List<Worker> workers() {
        return List.copyOf(workers);
    }

    /** Stops claiming new jobs (running ones go on) and stops reaping, until {@link #resume()}. */
    public void pause() {
        paused = true;
    }

    /** Claims and reaps again after {@link #pause()}. */
    public void resume() {
        paused = false;
        wake();
    }

    /** Wakes idle workers: a job was queued in this process. */
    @EventListener
    void onQueued(JobQueued event) {
        wake();
    }

    @Override
    public synchronized void start() {
        if (active || !properties.role().runsWorkers()) return;
        active = true;
        Duration lease = queue.properties().leaseDuration();
        WorkerProperties.Pool pool = properties.worker();
        ScheduledExecutorService t = Executors.newScheduledThreadPool(1, r -> {
            Thread thread = new Thread(r, "quantserve-worker-timers");
            thread.setDaemon(true);
            return thread;
        });
        long heartbeat = pool.heartbeat(lease).toMillis();
        long reaper = pool.reaper(lease).toMillis();
        t.scheduleWithFixedDelay(this::heartbeats, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
        reaping = t.scheduleWithFixedDelay(this::reap, reaper, reaper, TimeUnit.MILLISECONDS);
        timers = t;
        for (Worker w : workers) {
            Thread thread = new Thread(() -> loop(w), "quantserve-" + w.id());
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        ShutdownSignals.register(this);
        log.info(
                "worker pool started: {} thread(s), lease {} ms, heartbeat {} ms, reaper {} ms",
                workers.size(),
                lease.toMillis(),
                heartbeat,
                reaper);
    }

    /**
     * Stops claiming, asks the running attempts to hand their jobs back, and calls {@code callback} once every worker
     * thread has ended (the context waits for it up to {@code spring.lifecycle.timeout-per-shutdown-phase}).
     * Heartbeats go on until then, so the leases hold while the attempts reach their next boundary.
     */
    @Override
    public void stop(Runnable callback) {
        List<Thread> draining = beginStop();
        if (draining.isEmpty()) {
            endStop();
            callback.run();
            return;
        }
        Thread.ofPlatform().daemon().name("quantserve-worker-drain").start(() -> {
            awaitEnd(draining, null);
            endStop();
            callback.run();
        });
    }

    /** {@link #stop(Runnable)}, waiting here for the workers at most the shutdown grace period. */
    @Override
    public void stop() {
        drain();
        endStop();
    }

    /**
     * Stops claiming, asks the running attempts to hand their jobs back, and waits for the worker threads to end, at
     * most {@code spring.lifecycle.timeout-per-shutdown-phase}. Heartbeats go on until {@link #stop} (or for good,
     * when the process is about to end anyway).
     */
    void drain() {
        awaitEnd(beginStop(), shutdownGrace);
    }

    private synchronized List<Thread> beginStop() {
        if (!active) return List.of();
        active = false;
        if (reaping != null) reaping.cancel(false);
        int handingBack = running.size();
        for (AttemptProgress p : running.values()) p.handBack();
        wake();
        if (handingBack > 0) log.info("worker pool stopping: handing back {} running job(s)", handingBack);
        List<Thread> draining = List.copyOf(threads);
        threads.clear();
        return draining;
    }

    private synchronized void endStop() {
        ShutdownSignals.unregister(this);
        if (timers != null) timers.shutdownNow();
        timers = null;
        reaping = null;
    }

    /** Joins {@code threads}, for at most {@code grace} altogether (null: until they end). */
    private static void awaitEnd(List<Thread> threads, @Nullable Duration grace) {
        long deadline = grace == null ? Long.MAX_VALUE : System.nanoTime() + grace.toNanos();
        for (Thread t : threads) {
            try {
                if (grace == null) t.join();
                else t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return active;
    }

    private void loop(Worker worker) {
        Duration poll = properties.worker().pollInterval();
        while (active) {
            Optional<JobState> ran = Optional.empty();
            if (!paused) {
                try {
                    ran = worker.runOnce(p -> {
                        if (p == null) {
                            running.remove(worker.id());
                        } else {
                            running.put(worker.id(), p);
                            // a claim racing with stop(): stop() either saw this attempt in running or is seen here
                            if (!active) p.handBack();
                        }
                    });
                } catch (RuntimeException e) {
                    // the database is unreachable; the next poll tries again
                    log.warn("worker {} could not claim a job: {}", worker.id(), e.toString());
                }
            }
            if (ran.isEmpty()) idle(poll);
        }
    }

    private void heartbeats() {
        for (AttemptProgress p : running.values()) {
            try {
                p.heartbeat();
            } catch (RuntimeException e) {
                log.warn("heartbeat of job {} failed: {}", p.claim().jobId(), e.getMessage());
            }
        }
    }

    private void reap() {
        if (paused) return;
        try {
            for (JobQueue.Reaped r : queue.reapExpired()) {
                log.warn("job {}: lease expired after attempt {}, now {}", r.jobId(), r.attempts(), r.state());
                if (r.state() == JobState.QUEUED) events.publishEvent(new JobQueued(r.jobId()));
            }
        } catch (RuntimeException e) {
            log.warn("reaping expired leases failed, trying again in the next round: {}", e.toString());
        }
    }

    private void idle(Duration poll) {
        synchronized (signal) {
            try {
                signal.wait(Math.max(1, poll.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                active = false;
            }
        }
    }

    private void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }
}
