package io.quantserve.service.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One quantized layer of a finished job, from its {@code report.json}.
 *
 * @param scaleD activation scale
 * @param offsetD activation offset (zero point)
 * @param weightSqnrDb SQNR of the INT8 weight against the float weight, dB; null without a weight
 * @param outputSqnrDb SQNR of the layer's output in the fake-quant model against the float model, dB; null when not
 *     measured
 * @param outputCosine cosine of the same comparison; null when not measured
 * @param flags the report's warnings for the layer ({@code clip-ratio-above-1-percent}, …)
 */
public record LayerSummary(
        String name,
        @JsonProperty("op_type") String opType,
        @JsonProperty("scale_d") double scaleD,
        @JsonProperty("offset_d") int offsetD,
        @JsonProperty("weight_sqnr_db") @Nullable Double weightSqnrDb,
        @JsonProperty("output_sqnr_db") @Nullable Double outputSqnrDb,
        @JsonProperty("output_cosine") @Nullable Double outputCosine,
        List<String> flags) {
    public LayerSummary {
        flags = List.copyOf(flags);
    }
}
