package io.quantserve.engine.inspect;

import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A read-only index over every graph of a model (main graph and {@code If}/{@code Loop}/{@code Scan} bodies):
 * nodes in visiting order with the scope they sit in, initializers and producers by tensor name. Tensor names are
 * unique across scopes in a valid ONNX model (SSA), so one map per kind suffices.
 */
final class GraphIndex {
    /** Ops that pass a tensor's values on (possibly reshaped, cast or scaled): a weight may hide behind them. */
    private static final Set<String> PASS_THROUGH = Set.of(
            "Cast",
            "CastLike",
            "Identity",
            "Reshape",
            "Transpose",
            "Squeeze",
            "Unsqueeze",
            "Flatten",
            "Mul",
            "Div",
            "Add",
            "Sub");

    private static final int MAX_WALK_DEPTH = 4;

    /** Layers with a weight input: index 1, and for MatMul also index 0. */
    private static final Set<String> WEIGHTED_OPS = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul");

    /** A node and the scope path it sits in (empty for the main graph, as in {@code QuantizableLayer#scope}). */
    record ScopedNode(NodeProto node, String scope) {}

    /** A constant reached from a tensor, and the pass-through nodes crossed on the way (empty if direct). */
    record ConstantSource(TensorProto constant, List<String> via) {}

    /** A weighted layer and the constant its weight comes from. */
    record WeightSource(ScopedNode layer, ConstantSource source) {}

    private final List<ScopedNode> nodes = new ArrayList<>();
    private final Map<String, TensorProto> initializers = new HashMap<>();
    private final Map<String, NodeProto> producers = new HashMap<>();

    GraphIndex(ModelProto model) {
        visit(model.getGraph(), "");
    }

    private void visit(GraphProto g, String scope) {
        g.getInitializerList().forEach(t -> initializers.putIfAbsent(t.getName(), t));
        for (NodeProto n : g.getNodeList()) {
            nodes.add(new ScopedNode(n, scope));
            for (String out : n.getOutputList()) {
                if (!out.isEmpty()) producers.putIfAbsent(out, n);
            }
            for (AttributeProto a : n.getAttributeList()) {
                String sub = subgraphScope(scope, n, a);
                if (a.hasG()) visit(a.getG(), sub);
                for (int i = 0; i < a.getGraphsCount(); i++) visit(a.getGraphs(i), sub + "[" + i + "]");
            }
        }
    }

    /** The scope path of a subgraph attribute, spelled as {@code LayerFinder} spells layer scopes. */
    static String subgraphScope(String scope, NodeProto node, AttributeProto attribute) {
        return (scope.isEmpty() ? "" : scope + "/") + node.getName() + "/" + attribute.getName();
    }

    List<ScopedNode> nodes() {
        return nodes;
    }

    Optional<TensorProto> initializer(String tensor) {
        return Optional.ofNullable(initializers.get(tensor));
    }

    /**
     * The constants {@code tensor} is computed from through at most {@value #MAX_WALK_DEPTH} pass-through nodes
     * ({@code Cast}, {@code Reshape}, {@code Mul}, …), in visiting order; {@code tensor} itself when it is one.
     */
    List<ConstantSource> constantSources(String tensor) {
        List<ConstantSource> out = new ArrayList<>();
        walk(tensor, List.of(), out);
        return out;
    }

    /**
     * The first Conv/ConvTranspose/Gemm/MatMul (visiting order) whose weight input comes from a constant whose
     * element type is one of {@code onnxTypes}, per {@link #constantSources}.
     */
    Optional<WeightSource> firstWeightOfType(Set<Integer> onnxTypes) {
        for (ScopedNode s : nodes) {
            NodeProto n = s.node();
            if (!WEIGHTED_OPS.contains(n.getOpType()) || n.getInputCount() < 2) continue;
            List<Integer> slots = n.getOpType().equals("MatMul") ? List.of(1, 0) : List.of(1);
            for (int slot : slots) {
                for (ConstantSource c : constantSources(n.getInput(slot))) {
                    if (onnxTypes.contains(c.constant().getDataType())) return Optional.of(new WeightSource(s, c));
                }
            }
        }
        return Optional.empty();
    }

    private void walk(String tensor, List<String> via, List<ConstantSource> out) {
        TensorProto t = initializers.get(tensor);
        if (t != null) {
            out.add(new ConstantSource(t, via));
            return;
        }
        NodeProto p = producers.get(tensor);
        if (p == null || via.size() >= MAX_WALK_DEPTH || !PASS_THROUGH.contains(p.getOpType())) {
            return;
        }
        List<String> next = new ArrayList<>(via);
        next.add(p.getName());
        for (String in : p.getInputList()) {
            if (!in.isEmpty()) walk(in, List.copyOf(next), out);
        }
    }
}
