package io.quantserve.service.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.accuracy.AccuracyTarget;
import io.quantserve.engine.accuracy.BuiltInMetric;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * Accuracy-based automatic quantization of a job (the engine's {@code AutoQuantizer}, as the CLI's
 * {@code auto-quantize}): quantize every layer, evaluate on the job's evaluation dataset, and when the target is
 * missed keep the most sensitive layers in float, the fewest that meet it. Exactly one of {@code maxDrop} and
 * {@code minValue} is given.
 *
 * @param metric {@code top1} (labels array {@code labels} in the evaluation {@code .npz}), {@code top1-agreement},
 *     {@code cosine} or {@code sqnr}
 * @param maxDrop the most the metric may fall below the float model's value, in its unit (percentage points for the
 *     {@code %} metrics)
 * @param minValue the least value the metric must reach (the target for {@code sqnr})
 * @param maxFloatLayers the most layers the search may keep in float; null for all but one
 */
@Schema(
        name = "AutoRollback",
        description = "accuracy-based automatic quantization: layers are kept in float, most sensitive first, until the"
                + " evaluation metric meets the target; give max_drop or min_value")
public record AutoRollback(
        @Schema(allowableValues = {"top1", "top1-agreement", "cosine", "sqnr"})
        String metric,

        @JsonProperty("max_drop") @Nullable Double maxDrop,
        @JsonProperty("min_value") @Nullable Double minValue,
        @JsonProperty("max_float_layers") @Nullable Integer maxFloatLayers) {

    /**
     * Checks the values.
     *
     * @throws InvalidConfigException naming the value at fault
     */
    public AutoRollback validate() {
        if (metric == null) throw new InvalidConfigException("auto_rollback.metric is required");
        kind();
        if ((maxDrop == null) == (minValue == null)) {
            throw new InvalidConfigException("auto_rollback needs exactly one of max_drop and min_value");
        }
        target();
        if (maxFloatLayers != null && maxFloatLayers < 1) {
            throw new InvalidConfigException("auto_rollback.max_float_layers must be >= 1, got " + maxFloatLayers);
        }
        return this;
    }

    /** The engine's metric kind. */
    public BuiltInMetric kind() {
        return BuiltInMetric.parse(metric);
    }

    /** The engine's target. */
    public AccuracyTarget target() {
        return maxDrop != null
                ? new AccuracyTarget.MaxDrop(maxDrop)
                : new AccuracyTarget.AtLeast(minValue == null ? Double.NaN : minValue);
    }
}
