package io.quantserve.engine.pipeline;

import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.runtime.ValueSpec;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.engine.verify.OutputDifference;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Largest absolute difference between the INT8 model and the fake-quant model, feed by feed; the fake-quant
 * outputs come from the caller, which runs that model anyway.
 */
final class Int8Agreement implements AutoCloseable {
    private final InferenceSession int8;
    private final List<String> outputs;
    private final Map<String, OutputDifference> differences = new LinkedHashMap<>();
    private boolean disagree;

    Int8Agreement(Path int8Model) {
        this.int8 = InferenceSession.open(int8Model, SessionSettings.interleaved());
        this.outputs = int8.outputs().stream().map(ValueSpec::name).toList();
    }

    /** Runs the INT8 model on {@code feed} and compares its float outputs with the fake-quant model's. */
    void add(Map<String, Tensor> feed, Map<String, Tensor> fakeQuant) {
        Map<String, Tensor> x = int8.run(feed, outputs);
        for (String o : outputs) {
            if (x.get(o).type() != DataType.FLOAT) continue;
            Tensor y = fakeQuant.get(o);
            if (y == null || y.size() != x.get(o).size()) {
                // An output the fake-quant model lacks or shapes otherwise: no agreement at all.
                disagree = true;
                continue;
            }
            differences.computeIfAbsent(o, OutputDifference::new).add(x.get(o), y);
        }
    }

    double maxAbsDiff() {
        if (disagree) return Double.POSITIVE_INFINITY;
        return differences.values().stream()
                .mapToDouble(OutputDifference::maxAbsDiff)
                .max()
                .orElse(0);
    }

    @Override
    public void close() {
        int8.close();
    }
}
