package io.quantserve.service.jobs.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quantserve.service.jobs.AutoRollback;
import io.quantserve.service.jobs.BeyondAmct;
import io.quantserve.service.jobs.JobRequest;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /v1/jobs} and {@code POST /v1/jobs/preflight}.
 *
 * @param preflight run the full preflight before queueing and answer 422 instead of queueing a job that would fail
 */
@Schema(
        name = "CreateJob",
        description = "A quantization job. model_id and dataset_id are required unless from_job names a succeeded job"
                + " to re-export from, whose values fill every field left out. Give either config or the typed"
                + " overrides (skip_layers, skip_layer_types, act_algo, bias_overflow_policy, beyond_amct).")
record CreateJob(
        @JsonProperty("model_id") @Nullable UUID modelId,

        @JsonProperty("dataset_id") @Schema(description = "calibration dataset") @Nullable
        UUID datasetId,

        @JsonProperty("evaluation_dataset_id")
        @Schema(description = "data the fake-quant model is compared with the float model on")
        @Nullable
        UUID evaluationDatasetId,

        @JsonProperty("from_job") @Schema(description = "a SUCCEEDED job to re-export from") @Nullable
        UUID fromJob,

        @Schema(types = "object", description = "an AMCT quantization config (the content of quant_config.json)")
        @Nullable
        JsonNode config,

        @JsonProperty("skip_layers") @Nullable List<String> skipLayers,
        @JsonProperty("skip_layer_types") @Nullable List<String> skipLayerTypes,

        @JsonProperty("batch_size") @Schema(description = "samples per calibration batch, default 32") @Min(1) @Nullable
        Integer batchSize,

        @JsonProperty("batch_num")
        @Schema(description = "calibration batches, default the config's batch_num")
        @Min(1)
        @Nullable
        Integer batchNum,

        @JsonProperty("act_algo")
        @Schema(
                description = "activation algorithm of every layer",
                allowableValues = {"ifmr", "hfmg", "minmax", "percentile", "kl", "auto"})
        @Nullable
        String actAlgo,

        @JsonProperty("bias_overflow_policy")
        @Schema(allowableValues = {"fail", "adjust_weight_scale", "skip_layer"})
        @Nullable
        String biasOverflowPolicy,

        @ArraySchema(
                arraySchema =
                        @Schema(
                                description =
                                        "artefact kinds to publish, default all; manifest.json is always published"),
                schema =
                        @Schema(
                                allowableValues = {
                                    "fake_quant",
                                    "deploy",
                                    "int8",
                                    "report",
                                    "config",
                                    "record",
                                    "statistics"
                                }))
        @Nullable
        List<String> outputs,

        @JsonProperty("auto_rollback") @Nullable AutoRollback autoRollback,

        @JsonProperty("beyond_amct") @Nullable BeyondAmct beyondAmct,

        @Nullable Boolean preflight) {

    JobRequest request() {
        return new JobRequest(
                modelId,
                datasetId,
                evaluationDatasetId,
                fromJob,
                config,
                skipLayers,
                skipLayerTypes,
                batchSize,
                batchNum,
                actAlgo,
                biasOverflowPolicy,
                outputs,
                autoRollback,
                beyondAmct);
    }
}
