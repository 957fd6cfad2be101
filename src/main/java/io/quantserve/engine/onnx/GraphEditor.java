package io.quantserve.engine.onnx;

import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.onnx.proto.Onnx.ValueInfoProto;
import io.quantserve.engine.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one way the engine changes a graph. It hands out names that are unique across nodes, tensors and
 * subgraphs, keeps producer/consumer lookups current, and writes the nodes back in a topological order that
 * keeps the original order wherever the graph allows (so the same edits always give the same bytes).
 *
 * <p>Nodes are addressed by name: run {@link NodeNames#normalize} first so every node has a unique one.
 */
public final class GraphEditor {
    private final GraphProto original;
    private final List<NodeProto> nodes;
    private final Map<String, TensorProto> initializers;
    private final List<ValueInfoProto> inputs;
    private final List<ValueInfoProto> outputs;
    private final Set<String> usedNames = new HashSet<>();

    /** An editor over {@code graph} that avoids the names used in {@code graph} (its subgraphs included). */
    public GraphEditor(GraphProto graph) {
        this(graph, Set.of());
    }

    /**
     * An editor over {@code graph} (the main graph or a subgraph) that also avoids {@code reservedNames}: pass
     * {@link GraphScopes#allNames} of the model when editing a subgraph, since ONNX names are unique across
     * scopes.
     */
    public GraphEditor(GraphProto graph, Set<String> reservedNames) {
        this.original = graph;
        this.nodes = new ArrayList<>(graph.getNodeList());
        this.initializers = new LinkedHashMap<>();
        for (TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        this.inputs = new ArrayList<>(graph.getInputList());
        this.outputs = new ArrayList<>(graph.getOutputList());
        GraphScopes.collectNames(graph, usedNames);
        usedNames.addAll(reservedNames);
    }

    /** {@code base} if unused, else {@code base_1}, {@code base_2}, …; the name is reserved on return. */
    public String uniqueName(String base) {
        String name = base;
        for (int i = 1; usedNames.contains(name); i++) {
            name = base + "_" + i;
        }
        usedNames.add(name);
        return name;
    }

    public List<NodeProto> nodes() {
        return List.copyOf(nodes);
    }

    public Optional<NodeProto> node(String name) {
        return nodes.stream().filter(n -> n.getName().equals(name)).findFirst();
    }

    public Optional<TensorProto> initializer(String name) {
        return Optional.ofNullable(initializers.get(name));
    }

    public Collection<TensorProto> initializers() {
        return List.copyOf(initializers.values());
    }

    public List<ValueInfoProto> inputs() {
        return List.copyOf(inputs);
    }

    public List<ValueInfoProto> outputs() {
        return List.copyOf(outputs);
    }

    public boolean isGraphOutput(String tensor) {
        return outputs.stream().anyMatch(v -> v.getName().equals(tensor));
    }

    /** The node producing {@code tensor}, if any (graph inputs and initializers have none). */
    public Optional<NodeProto> producer(String tensor) {
        return nodes.stream().filter(n -> n.getOutputList().contains(tensor)).findFirst();
    }

    /** Nodes of this graph reading {@code tensor} directly (not through subgraphs). */
    public List<NodeProto> consumers(String tensor) {
        return nodes.stream().filter(n -> n.getInputList().contains(tensor)).toList();
    }

    /** Every reader of {@code tensor}: direct inputs, and nodes whose subgraphs capture it from this scope. */
    public int readerCount(String tensor) {
        int count = 0;
        for (NodeProto n : nodes) {
            if (n.getInputList().contains(tensor) || outerReferences(n).contains(tensor)) count++;
        }
        if (isGraphOutput(tensor)) count++;
        return count;
    }

    /** Adds an initializer under a unique name derived from {@code base}; returns the name used. */
    public String addInitializer(String base, Tensor value) {
        String name = uniqueName(base);
        initializers.put(name, TensorProtos.fromTensor(name, value));
        return name;
    }

    /** Replaces the content of an existing initializer, keeping its name. */
    public void replaceInitializer(String name, Tensor value) {
        if (!initializers.containsKey(name)) {
            throw new IllegalArgumentException("no initializer '" + name + "'");
        }
        initializers.put(name, TensorProtos.fromTensor(name, value));
    }

    public void putInitializer(TensorProto t) {
        usedNames.add(t.getName());
        initializers.put(t.getName(), t);
    }

    public void removeInitializer(String name) {
        initializers.remove(name);
        inputs.removeIf(v -> v.getName().equals(name));
    }

    /**
     * Adds a node; its name is made unique from {@code baseName}, its outputs must be names obtained from
     * {@link #uniqueName} or existing tensors being re-pointed. Returns the node as stored.
     */
    public NodeProto addNode(
            String opType,
            String domain,
            String baseName,
            List<String> in,
            List<String> out,
            List<AttributeProto> attrs) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(opType).setName(uniqueName(baseName));
        if (!domain.isEmpty()) b.setDomain(domain);
        b.addAllInput(in).addAllOutput(out).addAllAttribute(attrs);
        NodeProto n = b.build();
        out.forEach(usedNames::add);
        nodes.add(n);
        return n;
    }

    public NodeProto addNode(
            String opType, String baseName, List<String> in, List<String> out, AttributeProto... attrs) {
        return addNode(opType, "", baseName, in, out, List.of(attrs));
    }

    /** Replaces the node with the same name. */
    public void replaceNode(NodeProto updated) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).getName().equals(updated.getName())) {
                nodes.set(i, updated);
                return;
            }
        }
        throw new IllegalArgumentException("no node named '" + updated.getName() + "'");
    }

    public void removeNode(String name) {
        if (!nodes.removeIf(n -> n.getName().equals(name))) {
            throw new IllegalArgumentException("no node named '" + name + "'");
        }
    }

    /** Makes every reader of {@code from} (nodes and graph outputs) read {@code to} instead. */
    public void rewireConsumers(String from, String to) {
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            if (n.getInputList().contains(from)) {
                NodeProto.Builder b = n.toBuilder();
                for (int k = 0; k < b.getInputCount(); k++) {
                    if (b.getInput(k).equals(from)) b.setInput(k, to);
                }
                nodes.set(i, b.build());
            }
        }
    }

    /** Drops initializers no node (or subgraph) reads and that are not graph outputs. */
    public void removeUnusedInitializers() {
        Set<String> read = new HashSet<>();
        for (NodeProto n : nodes) {
            read.addAll(n.getInputList());
            read.addAll(outerReferences(n));
        }
        outputs.forEach(v -> read.add(v.getName()));
        initializers.keySet().removeIf(name -> !read.contains(name));
        inputs.removeIf(v ->
                original.getInitializerList().stream().anyMatch(t -> t.getName().equals(v.getName()))
                        && !initializers.containsKey(v.getName()));
    }

    /** Writes the graph back, nodes in a stable topological order. */
    public GraphProto build() {
        GraphProto.Builder g = original.toBuilder()
                .clearNode()
                .clearInitializer()
                .clearInput()
                .clearOutput()
                .addAllInput(inputs)
                .addAllOutput(outputs)
                .addAllInitializer(initializers.values())
                .addAllNode(topologicalOrder());
        Set<String> produced = new HashSet<>();
        nodes.forEach(n -> produced.addAll(n.getOutputList()));
        inputs.forEach(v -> produced.add(v.getName()));
        g.clearValueInfo();
        original.getValueInfoList().stream()
                .filter(v -> produced.contains(v.getName()))
                .forEach(g::addValueInfo);
        return g.build();
    }

    private List<NodeProto> topologicalOrder() {
        Map<String, Integer> producerIndex = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String o : nodes.get(i).getOutputList()) producerIndex.put(o, i);
        }
        int n = nodes.size();
        List<List<Integer>> next = new ArrayList<>();
        int[] indegree = new int[n];
        for (int i = 0; i < n; i++) next.add(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            Set<Integer> deps = new HashSet<>();
            List<String> reads = new ArrayList<>(nodes.get(i).getInputList());
            reads.addAll(outerReferences(nodes.get(i)));
            for (String in : reads) {
                Integer p = producerIndex.get(in);
                if (p != null && p != i && deps.add(p)) {
                    next.get(p).add(i);
                    indegree[i]++;
                }
            }
        }
        // Kahn's algorithm, always taking the lowest original index that is ready: deterministic and stable.
        java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>();
        for (int i = 0; i < n; i++) if (indegree[i] == 0) ready.add(i);
        List<NodeProto> out = new ArrayList<>(n);
        while (!ready.isEmpty()) {
            int i = ready.poll();
            out.add(nodes.get(i));
            for (int j : next.get(i)) if (--indegree[j] == 0) ready.add(j);
        }
        if (out.size() != n) {
            throw new InvalidModelException("the graph has a cycle; edited graph cannot be ordered");
        }
        return out;
    }

    /** Names a node's subgraphs read from enclosing scopes (implicit inputs). */
    static Set<String> outerReferences(NodeProto node) {
        Set<String> refs = new HashSet<>();
        for (AttributeProto a : node.getAttributeList()) {
            if (a.hasG()) refs.addAll(freeVariables(a.getG()));
            a.getGraphsList().forEach(g -> refs.addAll(freeVariables(g)));
        }
        return refs;
    }

    private static Set<String> freeVariables(GraphProto g) {
        Set<String> defined = new HashSet<>();
        g.getInputList().forEach(v -> defined.add(v.getName()));
        g.getInitializerList().forEach(t -> defined.add(t.getName()));
        ArrayDeque<NodeProto> queue = new ArrayDeque<>(g.getNodeList());
        Set<String> free = new HashSet<>();
        for (NodeProto n : queue) n.getOutputList().forEach(defined::add);
        for (NodeProto n : queue) {
            for (String in : n.getInputList()) if (!in.isEmpty() && !defined.contains(in)) free.add(in);
            for (String in : outerReferences(n)) if (!defined.contains(in)) free.add(in);
        }
        for (ValueInfoProto o : g.getOutputList()) if (!defined.contains(o.getName())) free.add(o.getName());
        return free;
    }
}
