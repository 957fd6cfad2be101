package io.quantserve.service.jobs;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.inspect.ModelInspection;
import io.quantserve.service.datasets.DatasetCatalog;
import io.quantserve.service.models.Model;
import io.quantserve.service.models.ModelCatalog;
import io.quantserve.service.web.BadRequestException;
import io.quantserve.service.web.Cursor;
import io.quantserve.service.web.CursorPage;
import io.quantserve.service.web.LimitExceededException;
import io.quantserve.service.web.LimitsProperties;
import io.quantserve.service.web.ResourceNotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The API side of jobs: create (with idempotency keys), read, list, cancel and preflight. Every method takes the
 * tenant and never sees another tenant's jobs; references to another tenant's models or datasets are unknown
 * references.
 */
@Service
public class JobCatalog {
    /** The longest {@code Idempotency-Key} accepted. */
    public static final int MAX_IDEMPOTENCY_KEY = 255;

    private final Jobs jobs;
    private final ModelCatalog models;
    private final DatasetCatalog datasets;
    private final Preflight preflight;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final LimitsProperties limits;
    private final Clock clock;

    JobCatalog(
            Jobs jobs,
            ModelCatalog models,
            DatasetCatalog datasets,
            Preflight preflight,
            ApplicationEventPublisher events,
            TransactionTemplate transactions,
            LimitsProperties limits,
            Clock clock) {
        this.jobs = jobs;
        this.models = models;
        this.datasets = datasets;
        this.preflight = preflight;
        this.events = events;
        this.transactions = transactions;
        this.limits = limits;
        this.clock = clock;
    }

    /**
     * The outcome of a create.
     *
     * @param replayed true when the idempotency key named an existing job made by an equal request
     */
    public record Created(Job job, boolean replayed) {}

    /**
     * Queues a job. With an idempotency key, a repeated equal request returns the first request's job (whatever its
     * state now), a different request with the same key is refused.
     *
     * @param runPreflight run the full {@link #preflight} first and refuse the job when it finds violations
     * @throws BadRequestException when model or dataset is missing (and no {@code fromJob} gives them), or the key
     *     is empty or too long
     * @throws UnknownReferenceException when a referenced model, dataset or job is not the tenant's
     * @throws JobNotReadyException when {@code fromJob} did not succeed
     * @throws InvalidConfigException when an option is invalid
     * @throws InvalidModelException when the engine refuses the model (already quantized, float16, …)
     * @throws IdempotencyConflictException when the key was used with a different request
     * @throws PreflightFailedException when {@code runPreflight} found violations
     * @throws LimitExceededException when the tenant already has the most queued and running jobs it may have
     */
    public Created create(UUID tenant, JobRequest request, @Nullable String idempotencyKey, boolean runPreflight) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY)) {
            throw new BadRequestException("Idempotency-Key must have 1 to " + MAX_IDEMPOTENCY_KEY + " characters");
        }
        JobSpec spec = resolve(tenant, request);
        if (idempotencyKey != null) {
            Optional<Created> replay = replay(tenant, idempotencyKey, spec);
            if (replay.isPresent()) return replay.get();
        }
        validate(tenant, spec);
        if (runPreflight) {
            PreflightReport report = preflight.run(tenant, spec);
            if (!report.ok()) throw new PreflightFailedException(report.violations());
        }
        UUID id = UUID.randomUUID();
        boolean inserted = Boolean.TRUE.equals(transactions.execute(status -> {
            jobs.lockTenant(tenant);
            int active = jobs.active(tenant);
            if (active >= limits.maxConcurrentJobsPerTenant()) {
                throw new LimitExceededException(
                        HttpStatus.TOO_MANY_REQUESTS,
                        LimitExceededException.JOBS,
                        "the tenant has " + active + " queued or running jobs, the most it may have"
                                + " (quantserve.limits.max-concurrent-jobs-per-tenant); create the job once one"
                                + " of them has finished or been cancelled");
            }
            return jobs.insert(id, tenant, spec, idempotencyKey, now());
        }));
        if (!inserted) {
            // an equal key committed between our lookup and our insert
            return replay(tenant, Objects.requireNonNull(idempotencyKey), spec)
                    .orElseThrow(() -> new IllegalStateException("job with key '" + idempotencyKey + "' vanished"));
        }
        events.publishEvent(new JobQueued(id));
        return new Created(get(tenant, id), false);
    }

    /** The dry run of a request: what a job would quantize, the rules it breaks, a rough cost. */
    public PreflightReport preflight(UUID tenant, JobRequest request) {
        JobSpec spec = resolve(tenant, request);
        references(tenant, spec);
        spec.options().validate();
        return preflight.run(tenant, spec);
    }

    /**
     * The tenant's job {@code id}.
     *
     * @throws ResourceNotFoundException when the tenant has no such job
     */
    public Job get(UUID tenant, UUID id) {
        return jobs.find(tenant, id).orElseThrow(() -> new ResourceNotFoundException("job", id));
    }

    /** The tenant's jobs in {@code states} (every state when empty), newest first. */
    public CursorPage<Job> list(UUID tenant, Set<JobState> states, @Nullable Cursor after, int limit) {
        List<Job> rows = jobs.newest(tenant, states, after, limit + 1);
        return CursorPage.of(rows, limit, j -> new Cursor(j.createdAt(), j.id()));
    }

    /**
     * Cancels a job: a QUEUED job becomes CANCELLED at once; a RUNNING job gets a cancel request its worker honours
     * at the next calibration batch or stage (until then it stays RUNNING); a CANCELLED job stays as it is.
     *
     * @return the job after the request
     * @throws IllegalJobTransitionException when the job already SUCCEEDED or FAILED
     */
    public Job cancel(UUID tenant, UUID id) {
        for (int tries = 0; tries < 3; tries++) {
            Job job = get(tenant, id);
            if (job.state() == JobState.CANCELLED) return job;
            job.state().requireTransition(id, JobState.CANCELLED);
            boolean done = job.state() == JobState.QUEUED
                    ? jobs.cancelQueued(tenant, id, now())
                    : jobs.requestCancel(tenant, id, now());
            if (done) return get(tenant, id);
            // the state moved under us (claimed, finished): look again
        }
        Job job = get(tenant, id);
        throw new IllegalJobTransitionException(id, job.state(), JobState.CANCELLED);
    }

    private JobSpec resolve(UUID tenant, JobRequest request) {
        Job from = null;
        if (request.fromJob() != null) {
            from = jobs.find(tenant, request.fromJob())
                    .orElseThrow(() -> new UnknownReferenceException("from_job", "job", request.fromJob()));
            if (from.state() != JobState.SUCCEEDED) {
                throw new JobNotReadyException("from_job: job '" + from.id() + "' is " + from.state()
                        + "; only a SUCCEEDED job can be re-exported");
            }
        }
        UUID model = request.modelId() != null ? request.modelId() : from != null ? from.modelId() : null;
        UUID dataset = request.datasetId() != null ? request.datasetId() : from != null ? from.datasetId() : null;
        if (model == null) throw new BadRequestException("model_id is required (or from_job)");
        if (dataset == null) throw new BadRequestException("dataset_id is required (or from_job)");
        UUID evaluation = request.evaluationDatasetId() != null
                ? request.evaluationDatasetId()
                : from != null ? from.evaluationDatasetId() : null;
        return new JobSpec(
                model, dataset, evaluation, request.fromJob(), request.options(from == null ? null : from.options()));
    }

    /** The checks that need no file: references, options, the model's inspection. */
    private void validate(UUID tenant, JobSpec spec) {
        Model model = references(tenant, spec);
        spec.options().validate();
        if (spec.options().autoRollback() != null) {
            if (spec.evaluationDatasetId() == null) {
                throw new InvalidConfigException(
                        "auto_rollback evaluates candidates on the evaluation dataset: give evaluation_dataset_id");
            }
            if (spec.fromJobId() != null) {
                throw new InvalidConfigException("auto_rollback calibrates and searches afresh; it cannot be combined"
                        + " with from_job (a re-export of stored statistics)");
            }
        }
        ModelInspection inspection = models.inspection(model);
        if (!inspection.refusals().isEmpty()) {
            throw new InvalidModelException(
                    "model '" + model.id() + "' cannot be quantized: " + String.join("; ", inspection.refusals()));
        }
        Set<String> layers = new HashSet<>();
        inspection.quantizableLayers().forEach(l -> layers.add(l.name()));
        for (String skip : spec.options().skipLayers()) {
            if (!layers.contains(skip)) {
                throw new InvalidConfigException("skip_layers names '" + skip + "', which is not a quantizable layer"
                        + " of model '" + model.id() + "' (see quantizable_layers of GET /v1/models/" + model.id()
                        + ")");
            }
        }
    }

    /** The model, after checking that model and datasets are the tenant's. */
    private Model references(UUID tenant, JobSpec spec) {
        Model model = reference("model_id", "model", spec.modelId(), () -> models.get(tenant, spec.modelId()));
        reference("dataset_id", "dataset", spec.datasetId(), () -> datasets.get(tenant, spec.datasetId()));
        if (spec.evaluationDatasetId() != null) {
            reference(
                    "evaluation_dataset_id",
                    "dataset",
                    spec.evaluationDatasetId(),
                    () -> datasets.get(tenant, spec.evaluationDatasetId()));
        }
        return model;
    }

    private Optional<Created> replay(UUID tenant, String key, JobSpec spec) {
        return jobs.findByIdempotencyKey(tenant, key).map(existing -> {
            JobSpec before = new JobSpec(
                    existing.modelId(),
                    existing.datasetId(),
                    existing.evaluationDatasetId(),
                    existing.fromJobId(),
                    existing.options());
            if (!before.equals(spec)) throw new IdempotencyConflictException(key, existing.id());
            return new Created(existing, true);
        });
    }

    private static <T> T reference(String field, String kind, UUID id, Supplier<T> lookup) {
        try {
            return lookup.get();
        } catch (ResourceNotFoundException e) {
            throw new UnknownReferenceException(field, kind, id);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
