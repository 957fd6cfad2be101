package io.quantserve.service.jobs.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quantserve.service.jobs.AutoRollback;
import io.quantserve.service.jobs.AutoRollbackResult;
import io.quantserve.service.jobs.BeyondAmct;
import io.quantserve.service.jobs.Job;
import io.quantserve.service.jobs.JobError;
import io.quantserve.service.jobs.JobOptions;
import io.quantserve.service.jobs.JobResult;
import io.quantserve.service.jobs.JobState;
import io.quantserve.service.jobs.LayerSummary;
import io.quantserve.service.jobs.OutputMetric;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** A job as the API shows it. */
@Schema(name = "Job")
record JobView(
        UUID id,
        JobState state,

        @Schema(
                description = "the stage last reported: claimed, fetch, prepare, fuse, weights, calibrate, export,"
                        + " verify, report, evaluate, upload, done")
        @JsonInclude(JsonInclude.Include.ALWAYS)
        @Nullable
        String stage,

        ProgressView progress,

        @Schema(description = "claims so far; a job whose worker died is claimed again, up to the configured limit")
        int attempts,

        @JsonProperty("cancel_requested") boolean cancelRequested,
        @JsonProperty("model_id") UUID modelId,
        @JsonProperty("dataset_id") UUID datasetId,

        @JsonProperty("evaluation_dataset_id") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable
        UUID evaluationDatasetId,

        @JsonProperty("from_job") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable
        UUID fromJob,

        OptionsView options,
        TimingsView timings,
        @JsonProperty("quantized_layers") List<String> quantizedLayers,
        @JsonProperty("float_layers") List<String> floatLayers,

        @Schema(description = "per-layer summary of report.json, once SUCCEEDED")
        List<LayerSummary> layers,

        @Schema(description = "fake-quant against float model on the evaluation dataset, once SUCCEEDED")
        List<OutputMetric> metrics,

        List<String> notes,

        @JsonProperty("auto_rollback")
        @Schema(description = "what the accuracy-based search found, once SUCCEEDED; null without auto_rollback")
        @JsonInclude(JsonInclude.Include.ALWAYS)
        @Nullable
        AutoRollbackResult autoRollback,

        @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable JobError error,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt) {

    static JobView of(Job j, Instant now) {
        JobResult r = j.result();
        return new JobView(
                j.id(),
                j.state(),
                j.stage(),
                ProgressView.of(j, now),
                j.attempts(),
                j.cancelRequested(),
                j.modelId(),
                j.datasetId(),
                j.evaluationDatasetId(),
                j.fromJobId(),
                OptionsView.of(j.options()),
                new TimingsView(j.createdAt(), j.startedAt(), j.finishedAt(), j.timings()),
                r == null ? List.of() : r.quantizedLayers(),
                r == null ? List.of() : r.floatLayers(),
                r == null ? List.of() : r.layers(),
                r == null ? List.of() : r.metrics(),
                r == null ? List.of() : r.notes(),
                r == null ? null : r.autoRollback(),
                j.error(),
                j.createdAt(),
                j.updatedAt());
    }

    /**
     * How far the job is.
     *
     * @param percent 0 to 100
     * @param batchDone calibration batches done, while calibrating (or evaluating)
     * @param batchTotal batches planned, while calibrating (or evaluating)
     * @param etaSeconds estimated seconds to the end, from the current attempt's pace; null when not RUNNING or too
     *     early to tell
     */
    @Schema(name = "JobProgress")
    record ProgressView(
            double percent,

            @JsonProperty("batch_done") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable
            Integer batchDone,

            @JsonProperty("batch_total") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable
            Integer batchTotal,

            @JsonProperty("eta_seconds") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable
            Double etaSeconds) {
        /** Progress below which no ETA is given: too little has run to extrapolate. */
        static final double ETA_FROM = 0.05;

        static ProgressView of(Job j, Instant now) {
            Double eta = null;
            if (j.state() == JobState.RUNNING && j.startedAt() != null && j.progress() >= ETA_FROM) {
                double elapsed = Duration.between(j.startedAt(), now).toMillis() / 1000.0;
                eta = Math.round(Math.max(0, elapsed * (1 - j.progress()) / j.progress()) * 10) / 10.0;
            }
            return new ProgressView(Math.round(j.progress() * 1000) / 10.0, j.batchDone(), j.batchTotal(), eta);
        }
    }

    /**
     * When things happened.
     *
     * @param startedAt when the current (or last) attempt was claimed
     * @param stages seconds per stage of the current (or last) attempt, in stage order
     */
    @Schema(name = "JobTimings")
    record TimingsView(
            @JsonProperty("queued_at") Instant queuedAt,

            @JsonProperty("started_at") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable
            Instant startedAt,

            @JsonProperty("finished_at") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable
            Instant finishedAt,

            Map<String, Double> stages) {}

    /** The options the job runs with, as resolved at creation. */
    @Schema(name = "JobOptions")
    record OptionsView(
            @Schema(types = "object", description = "the AMCT config given, or null for a generated one")
            @JsonInclude(JsonInclude.Include.ALWAYS)
            @Nullable
            JsonNode config,

            @JsonProperty("skip_layers") List<String> skipLayers,
            @JsonProperty("skip_layer_types") List<String> skipLayerTypes,
            @JsonProperty("batch_size") int batchSize,

            @JsonProperty("batch_num") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable
            Integer batchNum,

            @JsonProperty("act_algo") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable
            String actAlgo,

            @JsonProperty("bias_overflow_policy") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable
            String biasOverflowPolicy,

            @Schema(description = "artefact kinds published; empty for all")
            List<String> outputs,

            @JsonProperty("auto_rollback") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable
            AutoRollback autoRollback,

            @JsonProperty("beyond_amct") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable
            BeyondAmct beyondAmct) {
        static OptionsView of(JobOptions o) {
            return new OptionsView(
                    o.config(),
                    o.skipLayers(),
                    o.skipLayerTypes(),
                    o.batchSize(),
                    o.batchNum(),
                    o.actAlgo(),
                    o.biasOverflowPolicy(),
                    o.outputs(),
                    o.autoRollback(),
                    o.beyondAmct());
        }
    }
}
