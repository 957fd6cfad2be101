package io.quantserve.service.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the accuracy-based search of a job found. Values are in {@code unit}; a value that is not finite (the float
 * model's SQNR) is null.
 *
 * @param metric the metric's name
 * @param target the target in words ({@code at most 1.0 % below fp32})
 * @param floatValue the float model's value
 * @param allInt8Value the value with every layer quantized
 * @param finalValue the value of the published fake-quant model
 * @param layersInFloat the layers kept in float, most sensitive first; empty when all-INT8 met the target
 * @param candidates how many candidates were evaluated, the all-INT8 one included
 */
@Schema(name = "AutoRollbackResult")
public record AutoRollbackResult(
        String metric,
        String unit,
        String target,
        @JsonProperty("float_value") @Nullable Double floatValue,
        @JsonProperty("all_int8_value") @Nullable Double allInt8Value,
        @JsonProperty("final_value") @Nullable Double finalValue,
        @JsonProperty("layers_in_float") List<String> layersInFloat,
        int candidates) {
    public AutoRollbackResult {
        layersInFloat = List.copyOf(layersInFloat);
    }
}
