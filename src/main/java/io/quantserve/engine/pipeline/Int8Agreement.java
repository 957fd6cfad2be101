package io.quantserve.engine.pipeline;

import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.runtime.ValueSpec;
import io.quantserve.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Largest absolute difference between the INT8 model and the fake-quant model on the given feeds. */
final class Int8Agreement {
    private Int8Agreement() {}

    static double maxAbsDiff(Path int8, Path fakeQuant, List<Map<String, Tensor>> feeds) {
        try (InferenceSession a = InferenceSession.open(int8, SessionSettings.defaults());
                InferenceSession b = InferenceSession.open(fakeQuant, SessionSettings.defaults())) {
            List<String> outs = b.outputs().stream().map(ValueSpec::name).toList();
            double max = 0;
            for (Map<String, Tensor> feed : feeds) {
                Map<String, Tensor> x = a.run(feed, outs);
                Map<String, Tensor> y = b.run(feed, outs);
                for (String o : outs) {
                    if (x.get(o).type() != io.quantserve.engine.tensor.DataType.FLOAT) continue;
                    float[] p = x.get(o).toFloats();
                    float[] q = y.get(o).toFloats();
                    for (int i = 0; i < p.length; i++) max = Math.max(max, Math.abs((double) p[i] - q[i]));
                }
            }
            return max;
        }
    }
}
