package io.quantserve.service.jobs.web;

import io.quantserve.service.jobs.Job;
import io.quantserve.service.jobs.JobCatalog;
import io.quantserve.service.jobs.JobState;
import io.quantserve.service.jobs.PreflightReport;
import io.quantserve.service.security.Caller;
import io.quantserve.service.web.Cursor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.models.media.ObjectSchema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /v1/jobs}: create (idempotent with a key), get, list, cancel, preflight. */
@RestController
@Tag(name = "jobs", description = "Quantization jobs: create, follow, cancel, preflight, artefacts")
@RequestMapping("/v1/jobs")
class JobController {
    static {
        // AMCT configs travel as JSON objects; without this springdoc describes Jackson's node class instead
        SpringDocUtils.getConfig().replaceWithSchema(JsonNode.class, new ObjectSchema());
    }

    /** Header naming an idempotency key of a create. */
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Response header set when a create returned the job of an earlier request with the same key. */
    static final String REPLAYED = "Idempotent-Replayed";

    private final JobCatalog catalog;
    private final Clock clock;

    JobController(JobCatalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    @Operation(
            operationId = "createJob",
            summary = "Queue a quantization job",
            description = "Answers 202 with the QUEUED job and its Location. With an Idempotency-Key, the same key and"
                    + " an equal body return the first job again (Idempotent-Replayed: true); a different body"
                    + " answers 409 idempotency-key-reused. Unknown (or another tenant's) models, datasets and jobs"
                    + " answer 422 unknown-reference, invalid options 422 invalid-config; with \"preflight\": true"
                    + " every preflight violation answers 422 before anything is queued.",
            responses =
                    @ApiResponse(
                            responseCode = "202",
                            description = "Accepted; Location names the job",
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                                            schema = @Schema(implementation = JobView.class))))
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<JobView> create(
            Caller caller,
            @Parameter(description = "makes retries of the same create safe; 1 to 255 characters")
                    @RequestHeader(name = IDEMPOTENCY_KEY, required = false)
                    @Nullable
                    String idempotencyKey,
            @Valid @RequestBody CreateJob body) {
        JobCatalog.Created created = catalog.create(
                caller.tenantId(), body.request(), idempotencyKey, Boolean.TRUE.equals(body.preflight()));
        return ResponseEntity.accepted()
                .location(URI.create("/v1/jobs/" + created.job().id()))
                .header(REPLAYED, String.valueOf(created.replayed()))
                .body(view(created.job()));
    }

    @Operation(
            operationId = "preflightJob",
            summary = "Dry-run a job: what would be quantized, rule violations, a rough memory and time estimate",
            description = "Runs the checks a worker runs before calibrating (model inspection, config validation, data"
                    + " against the model's inputs, batch plan) and times one float inference of the first batch."
                    + " Nothing is queued or stored; violations are listed, not raised.")
    @PostMapping(
            path = "/preflight",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    PreflightReport preflight(Caller caller, @Valid @RequestBody CreateJob body) {
        return catalog.preflight(caller.tenantId(), body.request());
    }

    @Operation(operationId = "getJob", summary = "A job: state, stage, progress with ETA, timings, results, error")
    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    JobView get(Caller caller, @PathVariable UUID id) {
        return view(catalog.get(caller.tenantId(), id));
    }

    @Operation(operationId = "listJobs", summary = "The caller's jobs, newest first, optionally in some states only")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    JobPage list(
            Caller caller,
            @Parameter(description = "only jobs in these states (repeat the parameter or separate with commas)")
                    @RequestParam(name = "state", required = false)
                    @Nullable
                    List<JobState> states,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit,
            @RequestParam(required = false) @Nullable String cursor) {
        Set<JobState> wanted = states == null || states.isEmpty() ? Set.of() : EnumSet.copyOf(states);
        var page = catalog.list(caller.tenantId(), wanted, Cursor.decode(cursor), limit);
        return new JobPage(page.items().stream().map(this::view).toList(), page.nextCursor());
    }

    @Operation(
            operationId = "cancelJob",
            summary = "Cancel a job",
            description = "A QUEUED job is CANCELLED at once (200). A RUNNING job gets a cancel request (202,"
                    + " cancel_requested true) that its worker honours at the next calibration batch or stage. A"
                    + " CANCELLED job answers 200 as it is; a SUCCEEDED or FAILED one 409 illegal-state-transition.",
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        description = "Cancelled",
                        content =
                                @Content(
                                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                                        schema = @Schema(implementation = JobView.class))),
                @ApiResponse(
                        responseCode = "202",
                        description = "Cancel requested; the job stops at its next batch or stage",
                        content =
                                @Content(
                                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                                        schema = @Schema(implementation = JobView.class)))
            })
    @PostMapping(path = "/{id}/cancel", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<JobView> cancel(Caller caller, @PathVariable UUID id) {
        Job job = catalog.cancel(caller.tenantId(), id);
        HttpStatus status = job.state() == JobState.CANCELLED ? HttpStatus.OK : HttpStatus.ACCEPTED;
        return ResponseEntity.status(status).body(view(job));
    }

    private JobView view(Job job) {
        return JobView.of(job, clock.instant());
    }
}
