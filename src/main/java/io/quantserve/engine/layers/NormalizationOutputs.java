package io.quantserve.engine.layers;

import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the tensors of a graph that are normalization outputs: a {@code LayerNormalization} node's first output, or the
 * decomposed form exporters write, {@code Div(x − mean, Sqrt(var + ε))} optionally followed by {@code Mul} with a
 * constant scale and then {@code Add} with a constant shift. Exporters below opset 17 (all-MiniLM-L6-v2's) write the
 * decomposed form.
 */
final class NormalizationOutputs {
    private final Map<String, NodeProto> producers = new HashMap<>();
    private final Set<String> constants = new HashSet<>();

    private NormalizationOutputs(GraphProto graph) {
        for (NodeProto n : graph.getNodeList()) {
            n.getOutputList().forEach(o -> producers.put(o, n));
            if (n.getOpType().equals("Constant")) constants.addAll(n.getOutputList());
        }
        for (TensorProto t : graph.getInitializerList()) constants.add(t.getName());
    }

    /** The normalization outputs among the tensors of {@code graph} (its own nodes only, not its subgraphs). */
    static Set<String> of(GraphProto graph) {
        NormalizationOutputs finder = new NormalizationOutputs(graph);
        Set<String> out = new HashSet<>();
        for (NodeProto n : graph.getNodeList()) {
            for (String o : n.getOutputList()) {
                if (finder.isNormalization(o)) out.add(o);
            }
        }
        return out;
    }

    private boolean isNormalization(String tensor) {
        Optional<NodeProto> node = producer(tensor);
        if (node.isEmpty()) return false;
        NodeProto n = node.get();
        if (n.getOpType().equals("LayerNormalization")) return n.getOutput(0).equals(tensor);
        if (n.getOpType().equals("Add")) {
            Optional<String> other = nonConstantOperand(n);
            if (other.isEmpty()) return false;
            Optional<NodeProto> scale = producer(other.get());
            if (scale.isPresent() && scale.get().getOpType().equals("Mul")) {
                return nonConstantOperand(scale.get()).map(this::isStandardized).orElse(false);
            }
            return isStandardized(other.get());
        }
        if (n.getOpType().equals("Mul")) {
            return nonConstantOperand(n).map(this::isStandardized).orElse(false);
        }
        return isStandardized(tensor);
    }

    /** {@code tensor} is {@code Div(·, Sqrt(·))}. */
    private boolean isStandardized(String tensor) {
        return producer(tensor)
                .filter(d -> d.getOpType().equals("Div") && d.getInputCount() == 2)
                .flatMap(d -> producer(d.getInput(1)))
                .map(s -> s.getOpType().equals("Sqrt"))
                .orElse(false);
    }

    /** The one input of a binary node that is not a constant, when exactly one is not. */
    private Optional<String> nonConstantOperand(NodeProto binary) {
        if (binary.getInputCount() != 2) return Optional.empty();
        boolean first = constants.contains(binary.getInput(0));
        boolean second = constants.contains(binary.getInput(1));
        if (first == second) return Optional.empty();
        return Optional.of(first ? binary.getInput(1) : binary.getInput(0));
    }

    private Optional<NodeProto> producer(String tensor) {
        return Optional.ofNullable(producers.get(tensor));
    }
}
