package io.quantserve.engine.accuracy;

import java.util.List;

/**
 * One evaluated candidate of the rollback search.
 *
 * @param floatCount k: how many of the most sensitive layers are kept in float (0: every layer quantized)
 * @param layersInFloat those layers, most sensitive first
 * @param value the metric of its fake-quant model over the evaluation set, in the metric's unit
 * @param passed whether {@code value} meets the target
 */
public record Candidate(int floatCount, List<String> layersInFloat, double value, boolean passed) {
    public Candidate {
        layersInFloat = List.copyOf(layersInFloat);
        if (floatCount != layersInFloat.size()) {
            throw new IllegalArgumentException(floatCount + " layers in float but " + layersInFloat + " named");
        }
    }
}
