package io.quantserve.service.jobs;

import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A job as a client asks for it: every field optional here, resolved into a {@link JobSpec} by
 * {@link JobCatalog#create}. A re-export ({@code fromJob}) takes every field the request leaves out from the job it
 * starts from; otherwise {@code modelId} and {@code datasetId} are required and the options default to AMCT's.
 */
public record JobRequest(
        @Nullable UUID modelId,
        @Nullable UUID datasetId,
        @Nullable UUID evaluationDatasetId,
        @Nullable UUID fromJob,
        @Nullable JsonNode config,
        @Nullable List<String> skipLayers,
        @Nullable List<String> skipLayerTypes,
        @Nullable Integer batchSize,
        @Nullable Integer batchNum,
        @Nullable String actAlgo,
        @Nullable String biasOverflowPolicy,
        @Nullable List<String> outputs,
        @Nullable AutoRollback autoRollback,
        @Nullable BeyondAmct beyondAmct) {

    /**
     * The options of this request over {@code base} (the re-exported job's, or null): a field the request states
     * wins. A stated {@code config} drops the base's typed overrides, a stated typed override drops the base's config.
     * {@code outputs} default to every kind; {@code autoRollback} is never taken from the base (a re-export reuses
     * statistics, it does not search).
     */
    JobOptions options(@Nullable JobOptions base) {
        boolean typed = skipLayers != null
                || skipLayerTypes != null
                || actAlgo != null
                || biasOverflowPolicy != null
                || beyondAmct != null;
        JobOptions b = base == null
                ? new JobOptions(
                        null,
                        List.of(),
                        List.of(),
                        JobOptions.DEFAULT_BATCH_SIZE,
                        null,
                        null,
                        null,
                        OutputKind.all(),
                        null,
                        null)
                : base;
        boolean keepBaseConfig = config == null && !typed;
        boolean keepBaseTyped = config == null;
        return new JobOptions(
                config != null ? config : keepBaseConfig ? b.config() : null,
                skipLayers != null ? skipLayers : keepBaseTyped ? b.skipLayers() : List.of(),
                skipLayerTypes != null ? skipLayerTypes : keepBaseTyped ? b.skipLayerTypes() : List.of(),
                batchSize != null ? batchSize : b.batchSize(),
                batchNum != null ? batchNum : b.batchNum(),
                actAlgo != null ? actAlgo : keepBaseTyped ? b.actAlgo() : null,
                biasOverflowPolicy != null ? biasOverflowPolicy : keepBaseTyped ? b.biasOverflowPolicy() : null,
                outputs != null ? outputs : b.outputs().isEmpty() ? OutputKind.all() : b.outputs(),
                autoRollback,
                beyondAmct != null ? beyondAmct : keepBaseTyped ? b.beyondAmct() : null);
    }
}
