package io.quantserve.engine.accuracy;

import java.nio.file.Path;
import java.util.List;

/**
 * What an accuracy-based run published. Metric values are in {@code unit}; the float model's value may be
 * {@code +∞} (SQNR).
 *
 * @param outDir the folder holding the artefacts
 * @param artefacts file names written, sorted
 * @param metric the metric's name
 * @param unit the metric's unit
 * @param target the target in words
 * @param floatValue the float model's value
 * @param allInt8Value the value with every enabled layer quantized
 * @param finalValue the value of the published fake-quant model
 * @param layersInFloat the layers the search kept in float, most sensitive first (empty when all-INT8 passed)
 * @param quantizedLayers the layers quantized in the published models, in graph order
 * @param candidates every candidate evaluated, in evaluation order, the all-INT8 one first
 */
public record AutoQuantizeResult(
        Path outDir,
        List<String> artefacts,
        String metric,
        String unit,
        String target,
        double floatValue,
        double allInt8Value,
        double finalValue,
        List<String> layersInFloat,
        List<String> quantizedLayers,
        List<Candidate> candidates) {
    public AutoQuantizeResult {
        artefacts = List.copyOf(artefacts);
        layersInFloat = List.copyOf(layersInFloat);
        quantizedLayers = List.copyOf(quantizedLayers);
        candidates = List.copyOf(candidates);
    }
}
