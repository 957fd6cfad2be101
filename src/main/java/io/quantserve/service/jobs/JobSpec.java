package io.quantserve.service.jobs;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What a client asks to run, after defaults were applied; two requests with the same {@code Idempotency-Key} must
 * have equal specs.
 *
 * @param modelId the float model
 * @param datasetId the calibration dataset
 * @param evaluationDatasetId data the fake-quant model is compared with the float model on, or null
 * @param fromJobId a succeeded job whose model, data and calibration this job re-exports from, or null
 * @param options the quantization options
 */
public record JobSpec(
        UUID modelId,
        UUID datasetId,
        @Nullable UUID evaluationDatasetId,
        @Nullable UUID fromJobId,
        JobOptions options) {}
