package io.quantserve.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.onnx.GraphScopes;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.TensorProtos;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.tensor.Tensor;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Assertions and look-ups over the scopes (main graph and subgraphs) of a model. */
public final class ScopeAssertions {
    private ScopeAssertions() {}

    /** Every node name and every defined tensor name (inputs, initializers, node outputs) occurs once model-wide. */
    public static void assertNamesUnique(ModelProto m) {
        Set<String> nodes = new HashSet<>();
        Set<String> tensors = new HashSet<>();
        for (String scope : GraphScopes.all(m)) {
            GraphProto g = GraphScopes.graph(m, scope);
            g.getInputList()
                    .forEach(v -> assertThat(tensors.add(v.getName()))
                            .as("input " + v.getName())
                            .isTrue());
            g.getInitializerList()
                    .forEach(t -> assertThat(tensors.add(t.getName()))
                            .as("initializer " + t.getName())
                            .isTrue());
            for (NodeProto n : g.getNodeList()) {
                assertThat(nodes.add(n.getName())).as("node " + n.getName()).isTrue();
                n.getOutputList().stream()
                        .filter(o -> !o.isEmpty())
                        .forEach(o ->
                                assertThat(tensors.add(o)).as("tensor " + o).isTrue());
            }
        }
    }

    public static NodeProto node(OnnxModel m, String scope, String name) {
        return GraphScopes.graph(m.proto(), scope).getNodeList().stream()
                .filter(n -> n.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no node '" + name + "' in scope '" + scope + "'"));
    }

    /** The node of {@code scope} producing {@code tensor}. */
    public static NodeProto producer(OnnxModel m, String scope, String tensor) {
        return producer(GraphScopes.graph(m.proto(), scope), tensor);
    }

    public static NodeProto producer(GraphProto g, String tensor) {
        return g.getNodeList().stream()
                .filter(n -> n.getOutputList().contains(tensor))
                .findFirst()
                .orElseThrow(() -> new AssertionError("nothing produces '" + tensor + "'"));
    }

    public static long count(OnnxModel m, String scope, String opType) {
        return GraphScopes.graph(m.proto(), scope).getNodeList().stream()
                .filter(n -> n.getOpType().equals(opType))
                .count();
    }

    public static List<String> initializerNames(OnnxModel m, String scope) {
        return GraphScopes.graph(m.proto(), scope).getInitializerList().stream()
                .map(TensorProto::getName)
                .toList();
    }

    public static TensorProto initializer(OnnxModel m, String scope, String name) {
        return GraphScopes.graph(m.proto(), scope).getInitializerList().stream()
                .filter(t -> t.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no initializer '" + name + "' in scope '" + scope + "'"));
    }

    /** A float initializer's values, wherever it is visible from {@code scope}. */
    public static float[] weight(ModelProto m, String scope, String name) {
        return TensorProtos.toTensor(
                        GraphScopes.initializer(m, scope, name).orElseThrow().tensor(), null)
                .toFloats();
    }

    /** Cosine similarity of two equally long vectors. */
    public static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** An initializer's decoded value (inline data only). */
    public static Tensor decode(TensorProto t) {
        return TensorProtos.toTensor(t, null);
    }
}
