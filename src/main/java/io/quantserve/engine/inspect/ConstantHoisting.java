package io.quantserve.engine.inspect;

import com.google.protobuf.ByteString;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns {@code Constant} nodes into initializers of the graph they sit in (main graph or subgraph), keeping the
 * output name, so that weights stored in {@code Constant} nodes (PaddlePaddle exports, PyTorch's shape constants)
 * are constants for layer detection. Every value form is handled ({@code value}, {@code value_float(s)},
 * {@code value_int(s)}, {@code value_string(s)}); {@code sparse_value} constants stay nodes. A constant that is
 * also an output of its graph keeps working: the graph output then names the initializer. Expects unique node
 * names (scopes are reported by node name).
 */
final class ConstantHoisting {
    private ConstantHoisting() {}

    /**
     * @param model the rewritten model
     * @param movedByScope how many {@code Constant} nodes became initializers, per scope path ({@code ""} for the
     *     main graph), in visiting order; scopes without any are absent
     * @param removedNodes names of the {@code Constant} nodes that became initializers
     * @param floatWeights how many of them hold a float32 tensor of rank 2 or more, what a layer weight looks like
     */
    record Result(ModelProto model, Map<String, Integer> movedByScope, Set<String> removedNodes, int floatWeights) {
        int moved() {
            return removedNodes.size();
        }
    }

    /** Mutable tallies of one run. */
    private static final class Tally {
        final Map<String, Integer> movedByScope = new LinkedHashMap<>();
        final Set<String> removedNodes = new HashSet<>();
        int floatWeights;
    }

    static Result apply(ModelProto model) {
        Tally tally = new Tally();
        GraphProto g = hoist(model.getGraph(), "", tally);
        return new Result(
                model.toBuilder().setGraph(g).build(),
                tally.movedByScope,
                Set.copyOf(tally.removedNodes),
                tally.floatWeights);
    }

    private static GraphProto hoist(GraphProto g, String scope, Tally tally) {
        Set<String> initializerNames = new HashSet<>();
        g.getInitializerList().forEach(t -> initializerNames.add(t.getName()));
        GraphProto.Builder b = g.toBuilder().clearNode();
        int count = 0;
        for (NodeProto n : g.getNodeList()) {
            Optional<TensorProto> value =
                    isConstant(n) && !initializerNames.contains(n.getOutput(0)) ? value(n) : Optional.empty();
            if (value.isPresent()) {
                TensorProto t = value.get();
                b.addInitializer(t);
                initializerNames.add(t.getName());
                tally.removedNodes.add(n.getName());
                if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE && t.getDimsCount() >= 2) {
                    tally.floatWeights++;
                }
                count++;
            } else {
                b.addNode(withHoistedSubgraphs(n, scope, tally));
            }
        }
        if (count > 0) tally.movedByScope.put(scope, count);
        return b.build();
    }

    private static NodeProto withHoistedSubgraphs(NodeProto n, String scope, Tally tally) {
        if (n.getAttributeList().stream().noneMatch(a -> a.hasG() || a.getGraphsCount() > 0)) {
            return n;
        }
        NodeProto.Builder nb = n.toBuilder();
        for (int k = 0; k < nb.getAttributeCount(); k++) {
            AttributeProto a = nb.getAttribute(k);
            if (!a.hasG() && a.getGraphsCount() == 0) continue;
            String sub = GraphIndex.subgraphScope(scope, n, a);
            AttributeProto.Builder ab = a.toBuilder();
            if (a.hasG()) ab.setG(hoist(a.getG(), sub, tally));
            for (int i = 0; i < a.getGraphsCount(); i++) {
                ab.setGraphs(i, hoist(a.getGraphs(i), sub + "[" + i + "]", tally));
            }
            nb.setAttribute(k, ab);
        }
        return nb.build();
    }

    private static boolean isConstant(NodeProto n) {
        return n.getOpType().equals("Constant")
                && (n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx"))
                && n.getOutputCount() == 1
                && !n.getOutput(0).isEmpty()
                && n.getAttributeCount() == 1;
    }

    /** The node's value as a tensor named after its output; empty for forms that have no dense tensor. */
    private static Optional<TensorProto> value(NodeProto n) {
        AttributeProto a = n.getAttribute(0);
        TensorProto.Builder t = TensorProto.newBuilder().setName(n.getOutput(0));
        switch (a.getName()) {
            case "value" -> {
                if (!a.hasT()) return Optional.empty();
                return Optional.of(a.getT().toBuilder().setName(n.getOutput(0)).build());
            }
            case "value_float" ->
                t.setDataType(TensorProto.DataType.FLOAT_VALUE).addFloatData(a.getF());
            case "value_floats" ->
                t.setDataType(TensorProto.DataType.FLOAT_VALUE)
                        .addDims(a.getFloatsCount())
                        .addAllFloatData(a.getFloatsList());
            case "value_int" -> t.setDataType(TensorProto.DataType.INT64_VALUE).addInt64Data(a.getI());
            case "value_ints" ->
                t.setDataType(TensorProto.DataType.INT64_VALUE)
                        .addDims(a.getIntsCount())
                        .addAllInt64Data(a.getIntsList());
            case "value_string" ->
                t.setDataType(TensorProto.DataType.STRING_VALUE).addStringData(a.getS());
            case "value_strings" -> {
                List<ByteString> strings = a.getStringsList();
                t.setDataType(TensorProto.DataType.STRING_VALUE)
                        .addDims(strings.size())
                        .addAllStringData(strings);
            }
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(t.build());
    }
}
