package io.quantserve.engine.onnx.upgrade;

import io.quantserve.engine.onnx.GraphScopes;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out node and tensor names that are unused anywhere in a model, subgraphs included, so a name created
 * inside an {@code If}/{@code Loop}/{@code Scan} body never shadows one of an enclosing graph. The upgrader
 * rewrites nodes scope by scope without a {@code GraphEditor}, so it keeps this model-wide reservation itself.
 */
final class ModelNames {
    private final Set<String> used = new HashSet<>();

    ModelNames(GraphProto root) {
        GraphScopes.collectNames(root, used);
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
