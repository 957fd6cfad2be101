package io.quantserve.engine.onnx;

import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives every node of a model (subgraphs included) a unique, non-empty name, as AMCT's ONNX flavour does:
 * configs and records are keyed by node name. Nodes whose name is empty or already taken are renamed
 * {@code {op_type}_{index}}, the index counting nodes of that op type in visiting order (depth first, graph
 * order), skipping names in use. The same model always gets the same names.
 */
public final class NodeNames {
    private NodeNames() {}

    /** One rename, for the user-visible report. {@code oldName} is empty for a node that had none. */
    public record Rename(String oldName, String newName, String opType) {}

    public record Result(ModelProto model, List<Rename> renames) {}

    public static Result normalize(ModelProto model) {
        Set<String> taken = new HashSet<>();
        collectValidNames(model.getGraph(), new HashSet<>(), taken);
        Map<String, Integer> counters = new HashMap<>();
        Set<String> assigned = new HashSet<>();
        List<Rename> renames = new ArrayList<>();
        GraphProto g = rename(model.getGraph(), taken, assigned, counters, renames);
        return new Result(model.toBuilder().setGraph(g).build(), List.copyOf(renames));
    }

    /** First occurrence of a non-empty name keeps it; later duplicates are renamed. */
    private static void collectValidNames(GraphProto g, Set<String> seen, Set<String> taken) {
        for (NodeProto n : g.getNodeList()) {
            if (!n.getName().isEmpty() && seen.add(n.getName())) {
                taken.add(n.getName());
            }
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) collectValidNames(a.getG(), seen, taken);
                a.getGraphsList().forEach(sub -> collectValidNames(sub, seen, taken));
            }
        }
    }

    private static GraphProto rename(
            GraphProto g, Set<String> taken, Set<String> assigned, Map<String, Integer> counters, List<Rename> out) {
        GraphProto.Builder b = g.toBuilder();
        for (int i = 0; i < b.getNodeCount(); i++) {
            NodeProto n = b.getNode(i);
            NodeProto.Builder nb = n.toBuilder();
            String name = n.getName();
            if (name.isEmpty() || assigned.contains(name)) {
                String fresh;
                do {
                    int k = counters.merge(n.getOpType(), 1, Integer::sum) - 1;
                    fresh = n.getOpType() + "_" + k;
                } while (taken.contains(fresh) || assigned.contains(fresh));
                nb.setName(fresh);
                out.add(new Rename(name, fresh, n.getOpType()));
                name = fresh;
            }
            assigned.add(name);
            for (int k = 0; k < nb.getAttributeCount(); k++) {
                AttributeProto a = nb.getAttribute(k);
                if (a.hasG() || a.getGraphsCount() > 0) {
                    AttributeProto.Builder ab = a.toBuilder();
                    if (a.hasG()) ab.setG(rename(a.getG(), taken, assigned, counters, out));
                    for (int j = 0; j < ab.getGraphsCount(); j++) {
                        ab.setGraphs(j, rename(ab.getGraphs(j), taken, assigned, counters, out));
                    }
                    nb.setAttribute(k, ab);
                }
            }
            b.setNode(i, nb);
        }
        return b.build();
    }
}
