package io.quantserve.engine.onnx.upgrade;

import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out node and tensor names that are unused anywhere in a model, subgraphs included, so a name created
 * inside an {@code If}/{@code Loop}/{@code Scan} body never shadows one of an enclosing graph.
 */
final class ModelNames {
    private final Set<String> used = new HashSet<>();

    ModelNames(GraphProto root) {
        collect(root);
    }

    private void collect(GraphProto g) {
        g.getInitializerList().forEach(t -> used.add(t.getName()));
        g.getSparseInitializerList().forEach(t -> used.add(t.getValues().getName()));
        g.getInputList().forEach(v -> used.add(v.getName()));
        g.getOutputList().forEach(v -> used.add(v.getName()));
        g.getValueInfoList().forEach(v -> used.add(v.getName()));
        for (NodeProto n : g.getNodeList()) {
            used.add(n.getName());
            used.addAll(n.getInputList());
            used.addAll(n.getOutputList());
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) collect(a.getG());
                a.getGraphsList().forEach(this::collect);
            }
        }
    }

    /** {@code base} if unused, else {@code base_1}, {@code base_2}, …; the name is reserved on return. */
    String fresh(String base) {
        String name = base;
        for (int i = 1; used.contains(name); i++) {
            name = base + "_" + i;
        }
        used.add(name);
        return name;
    }
}
