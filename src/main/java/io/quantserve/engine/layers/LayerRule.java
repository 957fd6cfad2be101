package io.quantserve.engine.layers;

import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import java.util.List;
import java.util.Optional;

/** How one operator is recognised as a quantizable layer. */
@FunctionalInterface
public interface LayerRule {
    /** The graph around a node: constant tensors visible from its scope, and who reads each tensor. */
    interface Scope {
        Optional<TensorProto> constant(String tensor);

        /** Names of nodes (in any scope) reading {@code tensor}. */
        List<String> readers(String tensor);

        String path();
    }

    /** The outcome: a layer, or the reason the node stays in float. */
    sealed interface Verdict permits Accepted, Refused {}

    record Accepted(QuantizableLayer layer) implements Verdict {}

    record Refused(String reason) implements Verdict {}

    Verdict inspect(NodeProto node, Scope scope);
}
