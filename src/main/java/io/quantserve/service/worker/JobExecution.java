package io.quantserve.service.worker;

import io.quantserve.engine.LayerQuantizationException;
import io.quantserve.engine.QuantServeException;
import io.quantserve.engine.calibration.StatisticsFile;
import io.quantserve.engine.calibration.data.BatchPlan;
import io.quantserve.engine.calibration.data.BatchStream;
import io.quantserve.engine.calibration.data.CalibrationData;
import io.quantserve.engine.config.ConfigFactory;
import io.quantserve.engine.config.QuantConfig;
import io.quantserve.engine.config.QuantConfigs;
import io.quantserve.engine.pipeline.ModelPreparation;
import io.quantserve.engine.pipeline.QuantizationPipeline;
import io.quantserve.engine.pipeline.QuantizeRequest;
import io.quantserve.engine.pipeline.QuantizeResult;
import io.quantserve.engine.report.QualityReports;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.runtime.ValueSpec;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.engine.verify.ModelComparison;
import io.quantserve.engine.verify.OutputMetrics;
import io.quantserve.service.datasets.DatasetCatalog;
import io.quantserve.service.jobs.Artifact;
import io.quantserve.service.jobs.ArtifactCatalog;
import io.quantserve.service.jobs.Claim;
import io.quantserve.service.jobs.Job;
import io.quantserve.service.jobs.JobCatalog;
import io.quantserve.service.jobs.JobError;
import io.quantserve.service.jobs.JobOptions;
import io.quantserve.service.jobs.JobQueue;
import io.quantserve.service.jobs.JobResult;
import io.quantserve.service.jobs.JobState;
import io.quantserve.service.jobs.LeaseLostException;
import io.quantserve.service.jobs.OutputKind;
import io.quantserve.service.jobs.OutputMetric;
import io.quantserve.service.models.ModelCatalog;
import io.quantserve.service.observability.JobMetrics;
import io.quantserve.service.storage.ObjectContent;
import io.quantserve.service.storage.StorageException;
import io.quantserve.service.web.UploadNames;
import io.quantserve.service.web.UploadSpool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one claimed attempt to its end: fetch the model and data into a scratch folder of the attempt, run the engine
 * (calibrating, or from the re-exported job's statistics), compare with the float model on the evaluation data, upload
 * every file, publish. The outcome decides the job's next state:
 *
 * <ul>
 *   <li>published → SUCCEEDED (CANCELLED when a cancel arrived during the upload);
 *   <li>the engine refused the input ({@link QuantServeException}) → FAILED with its code, message and layer;
 *   <li>cancel request seen between batches or stages → CANCELLED;
 *   <li>the process shutting down (seen between batches or stages, or any failure meanwhile) → QUEUED again, the
 *       attempt not counted;
 *   <li>any other failure (storage, I/O, a bug) → QUEUED again after a backoff, FAILED after the last attempt;
 *   <li>lease lost → nothing more is written: the job belongs to the reaper or another worker now.
 * </ul>
 *
 * The scratch folder is deleted whatever happens; uploads of an attempt that did not publish are removed.
 */
final class JobExecution {
    private static final Logger log = LoggerFactory.getLogger(JobExecution.class);

    private final JobQueue queue;
    private final JobCatalog jobs;
    private final ArtifactCatalog artifacts;
    private final ModelCatalog models;
    private final DatasetCatalog datasets;
    private final UploadSpool spool;
    private final ArtifactUploader uploader;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration progressInterval;
    private final JobMetrics metrics;

    JobExecution(
            JobQueue queue,
            JobCatalog jobs,
            ArtifactCatalog artifacts,
            ModelCatalog models,
            DatasetCatalog datasets,
            UploadSpool spool,
            ArtifactUploader uploader,
            JsonMapper json,
            Clock clock,
            Duration progressInterval,
            JobMetrics metrics) {
        this.queue = queue;
        this.jobs = jobs;
        this.artifacts = artifacts;
        this.models = models;
        this.datasets = datasets;
        this.spool = spool;
        this.uploader = uploader;
        this.json = json;
        this.clock = clock;
        this.progressInterval = progressInterval;
        this.metrics = metrics;
    }

    /** Runs the attempt; {@code running} sees the attempt's progress while it runs (for heartbeats). */
    JobState run(Claim claim, Consumer<@Nullable AttemptProgress> running) {
        AttemptProgress progress = new AttemptProgress(claim, queue, clock, progressInterval, metrics);
        running.accept(progress);
        Job job = claim.job();
        Path work = spool.newWorkFolder("job-" + job.id() + "-attempt-" + claim.attempt());
        try {
            return execute(claim, progress, work);
        } catch (JobCancelledException e) {
            log.info("{}", e.getMessage());
            return endQuietly(claim, () -> queue.cancelled(claim, progress.timings()), JobState.CANCELLED);
        } catch (JobHandedBackException e) {
            log.info("{}", e.getMessage());
            return handBack(claim, progress);
        } catch (LeaseLostException e) {
            log.warn("{}; dropping the attempt", e.getMessage());
            uploader.discard(claim);
            return JobState.RUNNING;
        } catch (QuantServeException e) {
            if (progress.handBackRequested()) return handBack(claim, progress, e);
            JobError error = new JobError(
                    e.code(),
                    spool.redact(String.valueOf(e.getMessage())),
                    e instanceof LayerQuantizationException l ? l.layer() : null,
                    progress.stageName());
            log.info("job {} failed in stage {}: {} {}", job.id(), error.stage(), error.code(), error.message());
            uploader.discard(claim);
            return endQuietly(claim, () -> queue.fail(claim, error, progress.timings()), JobState.FAILED);
        } catch (RuntimeException | OutOfMemoryError e) {
            if (progress.handBackRequested()) return handBack(claim, progress, e);
            log.error("job {} attempt {} failed in stage {}", job.id(), claim.attempt(), progress.stageName(), e);
            uploader.discard(claim);
            JobError error = new JobError(
                    e instanceof StorageException ? "storage-unavailable" : "internal-error",
                    "attempt " + claim.attempt() + " failed in stage '" + progress.stageName() + "': "
                            + spool.redact(String.valueOf(e.getMessage())),
                    null,
                    progress.stageName());
            try {
                return queue.retry(claim, error, progress.timings());
            } catch (LeaseLostException lost) {
                return JobState.RUNNING;
            }
        } finally {
            running.accept(null);
            UploadSpool.deleteTree(work);
        }
    }

    /**
     * Hands back an attempt that failed while its process shuts down: the failure may come from the shutdown itself
     * (ONNX Runtime's environment closed under it), so it neither fails the job nor counts as an attempt.
     */
    private JobState handBack(Claim claim, AttemptProgress progress, Throwable failure) {
        log.info(
                "job {} attempt {} failed while this process shuts down; handing it back: {}",
                claim.jobId(),
                claim.attempt(),
                failure.toString());
        return handBack(claim, progress);
    }

    private JobState handBack(Claim claim, AttemptProgress progress) {
        uploader.discard(claim);
        try {
            return queue.handBack(claim, progress.timings());
        } catch (LeaseLostException lost) {
            return JobState.RUNNING;
        }
    }

    private JobState execute(Claim claim, AttemptProgress progress, Path work) {
        Job job = claim.job();
        JobOptions options = job.options();
        progress.stage("fetch");
        Path modelFile = fetchModel(job, folder(work, "model"));
        Path data = datasets.fetch(job.tenantId(), job.datasetId(), folder(work, "data"));
        Path out = work.resolve("out");
        List<String> notes = new ArrayList<>();
        Path config = options.config() == null ? null : writeConfig(options, work);
        Path statistics =
                job.fromJobId() == null ? null : statisticsToReuse(job, modelFile, folder(work, "from"), notes);
        QuantizeRequest request = statistics != null
                ? QuantizeRequest.fromStatistics(
                        modelFile, statistics, data, config, options.configOptions(), options.batchSize(), out, 1)
                : new QuantizeRequest(
                        modelFile,
                        data,
                        config,
                        options.configOptions(),
                        options.batchSize(),
                        options.batchNum(),
                        out,
                        1);
        AutoRollbackRun auto = options.autoRollback() == null
                ? null
                : AutoRollbackRun.run(
                        request,
                        datasets.fetch(
                                job.tenantId(),
                                Objects.requireNonNull(job.evaluationDatasetId()),
                                folder(work, "auto-evaluation")),
                        options.batchSize(),
                        options.autoRollback(),
                        progress);
        QuantizeResult result = auto != null ? auto.published() : QuantizationPipeline.quantize(request, progress);
        notes.addAll(result.notes());
        List<OutputMetric> metrics = List.of();
        if (job.evaluationDatasetId() != null) {
            progress.stage("evaluate");
            Path evaluation = datasets.fetch(job.tenantId(), job.evaluationDatasetId(), folder(work, "evaluation"));
            metrics = evaluate(modelFile, out.resolve(fakeQuantName(result)), evaluation, options, progress);
        }
        progress.stage("upload");
        dropUnwanted(out, options.outputs());
        List<Artifact> uploaded = uploader.upload(claim, out, progress);
        JobResult summary = new JobResult(
                result.quantizedLayers(),
                result.floatLayers(),
                ReportSummaries.read(out.resolve(QualityReports.JSON_FILE)),
                metrics,
                notes.stream().map(spool::redact).toList(),
                auto == null ? null : auto.summary());
        JobState state = queue.publish(claim, uploaded, summary, progress.timings());
        if (state != JobState.SUCCEEDED) uploader.discard(claim);
        log.info("job {} attempt {}: {}", job.id(), claim.attempt(), state);
        return state;
    }

    /**
     * The {@code statistics.bin} of the re-exported job when it covers this job: it holds the input histograms of every
     * layer that job quantized, so any range algorithm and any skip list within those layers needs no calibration
     * pass. A layer that job left in float, or DMQ balancing (which changes the layer inputs), needs one: then null,
     * with a note saying calibration runs again.
     */
    private @Nullable Path statisticsToReuse(Job job, Path modelFile, Path folder, List<String> notes) {
        Job from = jobs.get(job.tenantId(), Objects.requireNonNull(job.fromJobId()));
        String prefix = "re-export from job " + from.id() + ": ";
        Optional<Artifact> stored = artifacts.list(job.tenantId(), from.id()).stream()
                .filter(a -> a.name().equals(StatisticsFile.FILE_NAME))
                .findFirst();
        if (stored.isEmpty()) {
            notes.add(prefix + "it has no " + StatisticsFile.FILE_NAME + ", so calibration ran again");
            return null;
        }
        QuantConfig config = job.options().config() == null
                ? ConfigFactory.create(
                        ModelPreparation.prepare(modelFile).scan(),
                        job.options().configOptions())
                : QuantConfigs.parse(json.writeValueAsString(job.options().config()), "config");
        Set<String> covered =
                new HashSet<>(from.result() == null ? List.of() : from.result().quantizedLayers());
        List<String> uncovered = config.enabledLayers().stream()
                .filter(l -> !covered.contains(l))
                .toList();
        if (!uncovered.isEmpty() || !config.balancedLayers().isEmpty()) {
            notes.add(prefix
                    + (uncovered.isEmpty()
                            ? "DMQ balancing changes the layer inputs"
                            : "its statistics hold no input of " + uncovered + " (left in float there)")
                    + ", so calibration ran again");
            return null;
        }
        Path statistics = folder.resolve(StatisticsFile.FILE_NAME);
        try (ObjectContent content = artifacts.open(stored.get(), null)) {
            Files.copy(content.stream(), statistics);
        } catch (IOException e) {
            throw new UncheckedIOException("copying " + StatisticsFile.FILE_NAME + " of job " + from.id(), e);
        }
        notes.add(prefix + "activation ranges from its " + StatisticsFile.FILE_NAME + ", no calibration pass");
        return statistics;
    }

    private List<OutputMetric> evaluate(
            Path reference, Path candidate, Path data, JobOptions options, AttemptProgress progress) {
        List<ValueSpec> inputs;
        try (InferenceSession s = InferenceSession.open(reference, SessionSettings.defaults())) {
            inputs = s.inputs();
        }
        try (CalibrationData d = CalibrationData.open(data)) {
            long samples = d.check(inputs).sampleCount();
            int batches = (int) Math.max(1, (samples + options.batchSize() - 1) / options.batchSize());
            try (BatchStream stream = d.batches(inputs, new BatchPlan(options.batchSize(), batches))) {
                List<OutputMetrics> metrics = ModelComparison.compare(
                        reference, candidate, reporting(stream, batches, progress), SessionSettings.defaults());
                return metrics.stream().map(JobExecution::metric).toList();
            }
        }
    }

    /** The batches of {@code stream}, reporting each to {@code progress} (which may stop the run). */
    private static Iterator<Map<String, Tensor>> reporting(BatchStream stream, int total, AttemptProgress progress) {
        return new Iterator<>() {
            private int done;

            @Override
            public boolean hasNext() {
                return stream.hasNext();
            }

            @Override
            public Map<String, Tensor> next() {
                if (done > 0) progress.batch(done, total);
                done++;
                return stream.next();
            }
        };
    }

    private static OutputMetric metric(OutputMetrics m) {
        return new OutputMetric(
                m.output(),
                m.cosine(),
                m.minCosine(),
                Double.isFinite(m.sqnrDb()) ? m.sqnrDb() : null,
                m.maxAbsError(),
                Double.isNaN(m.top1Agreement()) ? null : m.top1Agreement(),
                m.samples());
    }

    /** The model as {@code <name>.onnx}, so artefacts are named after it ({@code <name>_fake_quant_model.onnx}). */
    private Path fetchModel(Job job, Path folder) {
        Path fetched = models.fetch(job.tenantId(), job.modelId(), folder);
        String name = models.get(job.tenantId(), job.modelId()).name();
        String base = UploadNames.fileSafe(name.endsWith(".onnx") ? name.substring(0, name.length() - 5) : name);
        Path named = folder.resolve(base + ".onnx");
        if (named.equals(fetched)) return fetched;
        try {
            return Files.move(fetched, named);
        } catch (IOException e) {
            throw new UncheckedIOException("renaming the fetched model", e);
        }
    }

    /** Deletes the artefacts of kinds the job did not ask for ({@link OutputKind#published}). */
    private static void dropUnwanted(Path out, List<String> outputs) {
        try (Stream<Path> files = Files.list(out)) {
            for (Path file : files.toList()) {
                if (!OutputKind.published(file.getFileName().toString(), outputs)) Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("dropping unwanted artefacts from " + out, e);
        }
    }

    private Path writeConfig(JobOptions options, Path work) {
        Path file = work.resolve("config.json");
        try {
            Files.writeString(file, json.writeValueAsString(options.config()));
        } catch (IOException e) {
            throw new UncheckedIOException("writing the job's config", e);
        }
        return file;
    }

    private static String fakeQuantName(QuantizeResult result) {
        return result.artefacts().stream()
                .filter(a -> a.endsWith("_fake_quant_model.onnx"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the run wrote no fake-quant model"));
    }

    private static JobState endQuietly(Claim claim, Runnable end, JobState state) {
        try {
            end.run();
            return state;
        } catch (LeaseLostException e) {
            log.warn("{}; the attempt's outcome ({}) was not written", e.getMessage(), state);
            return JobState.RUNNING;
        }
    }

    private static Path folder(Path work, String name) {
        try {
            return Files.createDirectories(work.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("creating " + work.resolve(name), e);
        }
    }
}
