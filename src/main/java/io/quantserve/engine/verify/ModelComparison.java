package io.quantserve.engine.verify;

import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.runtime.ValueSpec;
import io.quantserve.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a reference and a candidate model on the same feeds and measures how far the candidate's outputs drift. */
public final class ModelComparison {
    private ModelComparison() {}

    public static List<OutputMetrics> compare(
            Path reference, Path candidate, Iterator<? extends Map<String, Tensor>> feeds, SessionSettings settings) {
        try (InferenceSession ref = InferenceSession.open(reference, settings);
                InferenceSession cand = InferenceSession.open(candidate, settings)) {
            List<String> outputs = ref.outputs().stream().map(ValueSpec::name).toList();
            Map<String, MetricsAccumulator> acc = new LinkedHashMap<>();
            outputs.forEach(o -> acc.put(o, new MetricsAccumulator(o)));
            while (feeds.hasNext()) {
                Map<String, Tensor> feed = feeds.next();
                Map<String, Tensor> r = ref.run(feed, outputs);
                Map<String, Tensor> c = cand.run(feed, outputs);
                for (String o : outputs) acc.get(o).add(r.get(o), c.get(o));
            }
            List<OutputMetrics> out = new ArrayList<>();
            acc.values().forEach(a -> out.add(a.result()));
            return out;
        }
    }
}
