package io.quantserve.engine.accuracy;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.pipeline.QuantizeRequest;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One accuracy-based automatic quantization.
 *
 * @param quantize the calibration run as for {@code quantize}: model, calibration data, config or config options,
 *     batch size and count, and the output folder of the final artefacts; its {@code parityBatches} calibration
 *     batches are the ones the quality report replays to rank the layers by sensitivity
 * @param evaluationSet the evaluation set ({@code .npz} keyed by input name, plus the labels array for
 *     {@link BuiltInMetric#TOP1}); streamed, never loaded whole
 * @param evaluationBatchSize samples per evaluation batch, ≥ 1 (a model with a fixed batch dimension uses that)
 * @param metric what is measured on the evaluation set
 * @param target what the final fake-quant model must reach
 * @param rankBy how layers are ordered from most to least sensitive
 * @param maxFloatLayers the most layers the search may keep in float, ≥ 1; null for every ranked layer but one (a
 *     model with no layer quantized is not a quantization)
 */
public record AutoQuantizeRequest(
        QuantizeRequest quantize,
        Path evaluationSet,
        int evaluationBatchSize,
        AccuracyMetric metric,
        AccuracyTarget target,
        RankBy rankBy,
        @Nullable Integer maxFloatLayers) {
    public AutoQuantizeRequest {
        Objects.requireNonNull(quantize, "quantize");
        Objects.requireNonNull(evaluationSet, "evaluationSet");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(rankBy, "rankBy");
        if (evaluationBatchSize < 1) {
            throw new InvalidConfigException("evaluation batch size must be >= 1, got " + evaluationBatchSize);
        }
        if (maxFloatLayers != null && maxFloatLayers < 1) {
            throw new InvalidConfigException("max float layers must be >= 1, got " + maxFloatLayers);
        }
    }
}
