package io.quantserve.service.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a finished run reported, kept with the job.
 *
 * @param quantizedLayers layers quantized, in graph order
 * @param floatLayers quantizable layers left in float, each with its reason
 * @param layers per-layer summary of {@code report.json}
 * @param metrics the fake-quant model against the float model on the evaluation dataset; empty without one
 * @param notes the engine's notes and the service's (e.g. how a re-export was done)
 * @param autoRollback what the accuracy-based search found; null for a plain run
 */
public record JobResult(
        @JsonProperty("quantized_layers") List<String> quantizedLayers,
        @JsonProperty("float_layers") List<String> floatLayers,
        List<LayerSummary> layers,
        List<OutputMetric> metrics,
        List<String> notes,
        @JsonProperty("auto_rollback") @Nullable AutoRollbackResult autoRollback) {
    public JobResult {
        quantizedLayers = List.copyOf(quantizedLayers);
        floatLayers = List.copyOf(floatLayers);
        layers = List.copyOf(layers);
        metrics = List.copyOf(metrics);
        notes = List.copyOf(notes);
    }
}
