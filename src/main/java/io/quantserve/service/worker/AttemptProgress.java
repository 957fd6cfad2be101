package io.quantserve.service.worker;

import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.service.jobs.Claim;
import io.quantserve.service.jobs.JobProgress;
import io.quantserve.service.jobs.JobQueue;
import io.quantserve.service.jobs.LeaseLostException;
import io.quantserve.service.observability.JobMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The engine's progress callbacks for one attempt: records the stage, batch i/n and stage timings in the job row
 * (stage changes at once, batches at most every {@code interval}), and stops the run by throwing between two
 * batches or stages when a cancel was requested ({@link JobCancelledException}) or the lease was lost
 * ({@link LeaseLostException}), or when the pool is shutting down ({@link JobHandedBackException}). The heartbeat
 * thread reports into the same object, so a cancel seen by a heartbeat stops the run at its next batch. Each batch's
 * time goes to {@link JobMetrics#batch}.
 */
final class AttemptProgress implements ProgressListener {
    private final Claim claim;
    private final JobQueue queue;
    private final Clock clock;
    private final Duration interval;
    private final JobMetrics metrics;
    private final Map<String, Double> timings = new LinkedHashMap<>();

    private String stage = "claimed";
    private Instant stageStarted;
    private double fraction;
    private @Nullable Integer batchDone;
    private @Nullable Integer batchTotal;
    private Instant lastWrite = Instant.MIN;
    private long batchStarted = System.nanoTime();
    private volatile boolean cancelRequested;
    private volatile boolean leaseLost;
    private volatile boolean handBack;

    AttemptProgress(Claim claim, JobQueue queue, Clock clock, Duration interval, JobMetrics metrics) {
        this.claim = claim;
        this.queue = queue;
        this.clock = clock;
        this.interval = interval;
        this.metrics = metrics;
        this.stageStarted = clock.instant();
    }

    Claim claim() {
        return claim;
    }

    @Override
    public synchronized void stage(String name) {
        checkStop();
        closeStage();
        stage = name;
        stageStarted = clock.instant();
        batchStarted = System.nanoTime();
        fraction = Math.max(fraction, StageWeights.of(name, fraction).start());
        batchDone = null;
        batchTotal = null;
        write();
    }

    @Override
    public synchronized void batch(int done, int total) {
        long now = System.nanoTime();
        metrics.batch(stage, now - batchStarted);
        batchStarted = now;
        checkStop();
        batchDone = done;
        batchTotal = total;
        if (total > 0)
            fraction = Math.max(fraction, StageWeights.of(stage, fraction).at((double) done / total));
        if (Duration.between(lastWrite, clock.instant()).compareTo(interval) >= 0 || done == total) write();
    }

    /** Called by the heartbeat thread: extends the lease and picks up a cancel request. */
    void heartbeat() {
        if (leaseLost) return;
        try {
            if (queue.heartbeat(claim)) cancelRequested = true;
        } catch (LeaseLostException e) {
            leaseLost = true;
        }
    }

    /** Called by the pool when its process shuts down: the run stops at its next batch or stage. */
    void handBack() {
        handBack = true;
    }

    /** Whether {@link #handBack()} was called. */
    boolean handBackRequested() {
        return handBack;
    }

    /** Throws when the run must stop; the worker calls it between its own steps too. */
    void checkStop() {
        if (leaseLost) throw new LeaseLostException(claim);
        if (cancelRequested) throw new JobCancelledException(claim.jobId(), stage);
        if (handBack) throw new JobHandedBackException(claim.jobId(), stage);
    }

    /** Seconds per stage so far, the current stage included. */
    synchronized Map<String, Double> timings() {
        Map<String, Double> out = new LinkedHashMap<>(timings);
        out.merge(stage, seconds(Duration.between(stageStarted, clock.instant())), Double::sum);
        out.remove("claimed");
        return out;
    }

    String stageName() {
        return stage;
    }

    private void closeStage() {
        timings.merge(stage, seconds(Duration.between(stageStarted, clock.instant())), Double::sum);
    }

    private void write() {
        lastWrite = clock.instant();
        try {
            if (queue.progress(claim, new JobProgress(stage, Math.min(1, fraction), batchDone, batchTotal, timings())))
                cancelRequested = true;
        } catch (LeaseLostException e) {
            leaseLost = true;
        }
        checkStop();
    }

    private static double seconds(Duration d) {
        return Math.round(d.toNanos() / 1e6) / 1e3;
    }
}
