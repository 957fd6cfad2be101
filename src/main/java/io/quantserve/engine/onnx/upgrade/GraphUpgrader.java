package io.quantserve.engine.onnx.upgrade;

import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import org.jspecify.annotations.Nullable;

/**
 * Upgrades one graph node by node, in order, subgraphs ({@code If}/{@code Loop}/{@code Scan} bodies and any
 * other graph attribute) first, so every replacement sees converted bodies. Nodes of other domains keep their
 * op but have their subgraphs converted.
 */
final class GraphUpgrader {
    private final long from;
    private final long to;
    private final ModelNames names;

    GraphUpgrader(long from, long to, ModelNames names) {
        this.from = from;
        this.to = to;
        this.names = names;
    }

    GraphProto upgrade(GraphProto graph, @Nullable TensorFacts outer) {
        TensorFacts facts = TensorFacts.of(graph, outer);
        UpgradeScope scope = new UpgradeScope(from, to, names, facts, graph.getName());
        for (int i = 0; i < graph.getNodeCount(); i++) {
            scope.startNode(i);
            NodeProto node = withUpgradedSubgraphs(graph.getNode(i), facts);
            if (!isDefaultDomain(node)) {
                scope.emit(node);
                continue;
            }
            OpAdapter adapter = OpAdapters.forOp(node.getOpType())
                    .orElseThrow(() -> new InvalidModelException("cannot upgrade " + scope.describe(node)
                            + " from opset " + from + " to " + to + ": '" + node.getOpType()
                            + "' is not an ai.onnx operator of opsets 1-" + OpsetUpgrader.MAX_TARGET_OPSET
                            + " that the upgrader knows; it knows " + OpAdapters.supportedOps()));
            // Opset 6 dropped the legacy 'consumed_inputs' attribute from every operator that had it.
            adapter.upgrade(scope.crosses(6) ? Nodes.without(node, "consumed_inputs") : node, scope);
        }
        return graph.toBuilder()
                .clearNode()
                .addAllNode(scope.nodes())
                .addAllInitializer(scope.addedInitializers())
                .build();
    }

    private NodeProto withUpgradedSubgraphs(NodeProto node, TensorFacts facts) {
        boolean hasGraphs = node.getAttributeList().stream().anyMatch(a -> a.hasG() || a.getGraphsCount() > 0);
        if (!hasGraphs) return node;
        NodeProto.Builder b = node.toBuilder();
        for (int k = 0; k < b.getAttributeCount(); k++) {
            AttributeProto a = b.getAttribute(k);
            if (!a.hasG() && a.getGraphsCount() == 0) continue;
            AttributeProto.Builder ab = a.toBuilder();
            if (a.hasG()) ab.setG(upgrade(a.getG(), facts));
            for (int j = 0; j < ab.getGraphsCount(); j++) ab.setGraphs(j, upgrade(ab.getGraphs(j), facts));
            b.setAttribute(k, ab);
        }
        return b.build();
    }

    static boolean isDefaultDomain(NodeProto node) {
        return node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx");
    }
}
