package io.quantserve.engine.inspect;

import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.onnx.proto.Onnx.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Drops main-graph inputs that are also initializers. IR &lt; 4 required every initializer to be listed as an
 * input (old PyTorch exports still carry them); ONNX Runtime then treats the weights as overridable inputs, not
 * constants. For quantization weights are constants, so the inputs go and the initializers stay.
 */
final class InitializerInputs {
    private InitializerInputs() {}

    /** @param removed names of the inputs dropped, in input order */
    record Result(ModelProto model, List<String> removed) {}

    static Result apply(ModelProto model) {
        GraphProto g = model.getGraph();
        Set<String> initializers = new HashSet<>();
        g.getInitializerList().forEach((TensorProto t) -> initializers.add(t.getName()));
        List<ValueInfoProto> kept = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) {
            if (initializers.contains(v.getName())) {
                removed.add(v.getName());
            } else {
                kept.add(v);
            }
        }
        if (removed.isEmpty()) {
            return new Result(model, List.of());
        }
        GraphProto ng = g.toBuilder().clearInput().addAllInput(kept).build();
        return new Result(model.toBuilder().setGraph(ng).build(), List.copyOf(removed));
    }
}
