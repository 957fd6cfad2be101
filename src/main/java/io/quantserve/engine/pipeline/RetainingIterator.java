package io.quantserve.engine.pipeline;

import io.quantserve.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Passes batches through and keeps the first {@code keep} of them for the verification stage, so verification
 * replays real calibration samples without reading the data twice. Memory: {@code keep} batches.
 */
final class RetainingIterator implements Iterator<Map<String, Tensor>> {
    private final Iterator<? extends Map<String, Tensor>> source;
    private final int keep;
    private final List<Map<String, Tensor>> retained = new ArrayList<>();
    private int consumed;

    RetainingIterator(Iterator<? extends Map<String, Tensor>> source, int keep) {
        this.source = source;
        this.keep = keep;
    }

    @Override
    public boolean hasNext() {
        return source.hasNext();
    }

    @Override
    public Map<String, Tensor> next() {
        Map<String, Tensor> batch = source.next();
        consumed++;
        if (retained.size() < keep) retained.add(new LinkedHashMap<>(batch));
        return batch;
    }

    List<Map<String, Tensor>> retained() {
        return List.copyOf(retained);
    }

    int consumed() {
        return consumed;
    }
}
