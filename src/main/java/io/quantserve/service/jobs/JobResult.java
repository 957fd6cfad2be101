package io.quantserve.service.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a finished run reported, kept with the job.
 *
 * @param quantizedLayers layers quantized, in graph order
 * @param floatLayers quantizable layers left in float, each with its reason
 * @param layers per-layer summary of {@code report.json}
 * @param metrics the fake-quant model against the float model on the evaluation dataset; empty without one
 * @param notes the engine's notes and the service's (e.g. how a re-export was done)
 */
public record JobResult(
        @JsonProperty("quantized_layers") List<String> quantizedLayers,
        @JsonProperty("float_layers") List<String> floatLayers,
        List<LayerSummary> layers,
        List<OutputMetric> metrics,
        List<String> notes) {
    public JobResult {
        quantizedLayers = List.copyOf(quantizedLayers);
        floatLayers = List.copyOf(floatLayers);
        layers = List.copyOf(layers);
        metrics = List.copyOf(metrics);
        notes = List.copyOf(notes);
    }
}
