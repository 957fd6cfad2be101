package io.quantserve.engine.onnx;

import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Addresses the graphs of a model by scope path, as {@code LayerFinder} spells it in
 * {@code QuantizableLayer#scope()}: {@code ""} is the main graph; a subgraph is {@code <node>/<attribute>}
 * below its enclosing scope ({@code If_0/then_branch}, {@code Loop_0/body/If_3/else_branch}), with an
 * {@code [i]} suffix for the i-th graph of a {@code GRAPHS} attribute. Node names may themselves contain
 * {@code /}: paths are matched against the nodes that hold subgraphs, never split blindly.
 *
 * <p>Tensor and node names are unique across all scopes of a valid ONNX model (SSA), which {@link #allNames}
 * serves for editors that add names to a subgraph.
 */
public final class GraphScopes {
    /** The scope path of the main graph. */
    public static final String MAIN = "";

    private GraphScopes() {}

    /** One step from a graph into a subgraph: node {@code node}'s attribute {@code attribute}, entry {@code index}. */
    private record Step(String node, String attribute, int index, String path) {}

    /** An initializer and the scope path of the graph that holds it. */
    public record ScopedInitializer(String scope, TensorProto tensor) {}

    /** The path of a subgraph attribute of {@code node} in {@code scope}; {@code index} is -1 for a GRAPH attribute. */
    public static String child(String scope, NodeProto node, AttributeProto attribute, int index) {
        String base = (scope.isEmpty() ? "" : scope + "/") + node.getName() + "/" + attribute.getName();
        return index < 0 ? base : base + "[" + index + "]";
    }

    /**
     * The graph at {@code scope}.
     *
     * @throws InvalidModelException when no subgraph has that path
     */
    public static GraphProto graph(ModelProto model, String scope) {
        GraphProto g = model.getGraph();
        for (Step s : steps(model, scope)) {
            g = subgraph(findNode(g, s.node()), s);
        }
        return g;
    }

    /**
     * Returns {@code model} with the graph at {@code scope} replaced by {@code graph}; every other graph, and the
     * nodes holding the path, keep their content.
     */
    public static ModelProto replace(ModelProto model, String scope, GraphProto graph) {
        return model.toBuilder()
                .setGraph(replace(model.getGraph(), steps(model, scope), 0, graph))
                .build();
    }

    private static GraphProto replace(GraphProto g, List<Step> steps, int depth, GraphProto graph) {
        if (depth == steps.size()) return graph;
        Step s = steps.get(depth);
        GraphProto.Builder b = g.toBuilder();
        for (int i = 0; i < b.getNodeCount(); i++) {
            NodeProto n = b.getNode(i);
            if (!n.getName().equals(s.node())) continue;
            NodeProto.Builder nb = n.toBuilder();
            for (int k = 0; k < nb.getAttributeCount(); k++) {
                AttributeProto a = nb.getAttribute(k);
                if (!a.getName().equals(s.attribute())) continue;
                GraphProto inner = replace(subgraph(n, s), steps, depth + 1, graph);
                AttributeProto.Builder ab = a.toBuilder();
                if (s.index() < 0) ab.setG(inner);
                else ab.setGraphs(s.index(), inner);
                nb.setAttribute(k, ab);
                b.setNode(i, nb);
                return b.build();
            }
        }
        throw new InvalidModelException("no subgraph '" + s.path() + "' in the model");
    }

    /** {@code scope} and each scope enclosing it, innermost first; the last entry is {@link #MAIN}. */
    public static List<String> chain(ModelProto model, String scope) {
        List<Step> steps = steps(model, scope);
        List<String> out = new ArrayList<>();
        for (int i = steps.size() - 1; i >= 0; i--) out.add(steps.get(i).path());
        out.add(MAIN);
        return out;
    }

    /** The scope directly enclosing {@code scope}; empty for the main graph. */
    public static Optional<String> parent(ModelProto model, String scope) {
        List<String> chain = chain(model, scope);
        return chain.size() < 2 ? Optional.empty() : Optional.of(chain.get(1));
    }

    /**
     * The initializer {@code name} as seen from {@code scope}: the scope's own initializers first, then those of
     * each enclosing scope outward. A scope that defines {@code name} otherwise (graph input or node output)
     * hides the initializers of the scopes around it.
     */
    public static Optional<ScopedInitializer> initializer(ModelProto model, String scope, String name) {
        for (String s : chain(model, scope)) {
            GraphProto g = graph(model, s);
            for (TensorProto t : g.getInitializerList()) {
                if (t.getName().equals(name)) return Optional.of(new ScopedInitializer(s, t));
            }
            if (g.getInputList().stream().anyMatch(v -> v.getName().equals(name))) return Optional.empty();
            for (NodeProto n : g.getNodeList()) {
                if (n.getOutputList().contains(name)) return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Every scope path of the model in visiting order (depth first, graph order): {@link #MAIN} first. */
    public static List<String> all(ModelProto model) {
        List<String> out = new ArrayList<>();
        collectScopes(model.getGraph(), MAIN, out);
        return out;
    }

    private static void collectScopes(GraphProto g, String scope, List<String> out) {
        out.add(scope);
        for (NodeProto n : g.getNodeList()) {
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) collectScopes(a.getG(), child(scope, n, a, -1), out);
                for (int i = 0; i < a.getGraphsCount(); i++) {
                    collectScopes(a.getGraphs(i), child(scope, n, a, i), out);
                }
            }
        }
    }

    /**
     * Every name used anywhere in the model: node names, and tensor names of inputs, outputs, initializers, value
     * infos and node inputs/outputs, in the main graph and in all subgraphs. The set is a fresh mutable copy.
     */
    public static Set<String> allNames(ModelProto model) {
        Set<String> names = new HashSet<>();
        collectNames(model.getGraph(), names);
        names.remove("");
        return names;
    }

    /** Adds every name used in {@code g} and its subgraphs to {@code names}. */
    public static void collectNames(GraphProto g, Set<String> names) {
        g.getInitializerList().forEach(t -> names.add(t.getName()));
        g.getSparseInitializerList().forEach(t -> names.add(t.getValues().getName()));
        g.getInputList().forEach(v -> names.add(v.getName()));
        g.getOutputList().forEach(v -> names.add(v.getName()));
        g.getValueInfoList().forEach(v -> names.add(v.getName()));
        for (NodeProto n : g.getNodeList()) {
            names.add(n.getName());
            names.addAll(n.getInputList());
            names.addAll(n.getOutputList());
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) collectNames(a.getG(), names);
                a.getGraphsList().forEach(sub -> collectNames(sub, names));
            }
        }
    }

    /** The steps from the main graph down to {@code scope}. */
    private static List<Step> steps(ModelProto model, String scope) {
        List<Step> out = new ArrayList<>();
        if (scope.isEmpty()) return out;
        if (!descend(model.getGraph(), MAIN, scope, out)) {
            throw new InvalidModelException("no subgraph '" + scope + "' in the model");
        }
        return out;
    }

    private static boolean descend(GraphProto g, String at, String target, List<Step> out) {
        for (NodeProto n : g.getNodeList()) {
            for (AttributeProto a : n.getAttributeList()) {
                int count = a.hasG() ? 1 : a.getGraphsCount();
                for (int i = 0; i < count; i++) {
                    int index = a.hasG() ? -1 : i;
                    String path = child(at, n, a, index);
                    if (!target.equals(path) && !target.startsWith(path + "/")) continue;
                    out.add(new Step(n.getName(), a.getName(), index, path));
                    if (target.equals(path)) return true;
                    if (descend(index < 0 ? a.getG() : a.getGraphs(i), path, target, out)) return true;
                    out.removeLast();
                }
            }
        }
        return false;
    }

    private static NodeProto findNode(GraphProto g, String name) {
        for (NodeProto n : g.getNodeList()) {
            if (n.getName().equals(name)) return n;
        }
        throw new InvalidModelException("no node '" + name + "' holding a subgraph");
    }

    private static GraphProto subgraph(NodeProto n, Step s) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(s.attribute())) return s.index() < 0 ? a.getG() : a.getGraphs(s.index());
        }
        throw new InvalidModelException("node '" + n.getName() + "' has no subgraph attribute '" + s.attribute() + "'");
    }

    /**
     * Whether any node of the main graph carries a subgraph ({@code If}, {@code Loop}, {@code Scan}): tensors surfaced
     * from such bodies may change shape with the values, not only with the feed shapes.
     */
    public static boolean hasSubgraphs(ModelProto model) {
        return model.getGraph().getNodeList().stream()
                .flatMap(n -> n.getAttributeList().stream())
                .anyMatch(a -> a.hasG() || a.getGraphsCount() > 0);
    }
}
