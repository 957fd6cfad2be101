package io.quantserve.engine.calibration;

import io.quantserve.engine.runtime.ValueSpec;
import io.quantserve.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a batch into runs of at most {@code samples} samples along axis 0, so that a run exposing every layer's
 * tensors (calibration, the report's replay) holds a few samples' activations at a time instead of a whole batch's. Only done when it cannot
 * change the model's meaning: every fed input is declared with a symbolic first dimension and all have the same
 * number of rows; otherwise the batch is run whole. The samples keep their order, so streaming statistics see the
 * same values in the same order either way.
 */
public final class SampleChunks {
    private SampleChunks() {}

    /**
     * The runs of {@code feed}: one per {@code samples} samples when the batch can be split, else the batch whole.
     *
     * @param inputs the model's declared inputs
     */
    public static List<Map<String, Tensor>> split(Map<String, Tensor> feed, List<ValueSpec> inputs, int samples) {
        long rows = -1;
        for (var e : feed.entrySet()) {
            ValueSpec spec = inputs.stream()
                    .filter(v -> v.name().equals(e.getKey()))
                    .findFirst()
                    .orElse(null);
            Tensor t = e.getValue();
            if (spec == null || spec.shape().length == 0 || spec.shape()[0] >= 0 || t.rank() == 0) return List.of(feed);
            if (rows >= 0 && t.dim(0) != rows) return List.of(feed);
            rows = t.dim(0);
        }
        if (rows <= samples) return List.of(feed);
        List<Map<String, Tensor>> out = new ArrayList<>();
        for (long from = 0; from < rows; from += samples) {
            long to = Math.min(rows, from + samples);
            Map<String, Tensor> chunk = new LinkedHashMap<>();
            for (var e : feed.entrySet()) chunk.put(e.getKey(), e.getValue().slice0(from, to));
            out.add(chunk);
        }
        return out;
    }
}
