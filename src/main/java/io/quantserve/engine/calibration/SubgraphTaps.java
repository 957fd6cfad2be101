package io.quantserve.engine.calibration;

import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.GraphScopes;
import io.quantserve.engine.onnx.TensorProtos;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TypeProto;
import io.quantserve.engine.onnx.proto.Onnx.ValueInfoProto;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Augments a calibration model so that every observed float tensor is a main-graph output, wherever it lives.
 * A tensor of the main graph becomes an output as it is. A tensor inside an {@code If}/{@code Loop}/{@code Scan}
 * body is carried out of its subgraph, one level at a time (so nested bodies work):
 *
 * <ul>
 *   <li><b>If</b>: an output of the branch holding it ({@code Identity}), a placeholder output of the same element
 *       type and shape {@code [0]} in the other branch ({@code Constant}), and a new output of the {@code If}
 *       node. When the branch is not taken the observer sees no values.
 *   <li><b>Loop</b>: a new loop-carried sequence: the body appends the tensor's values, flattened to
 *       {@code [1, n]}, to it ({@code SequenceInsert}); the outer graph starts it with one empty {@code [1, 0]}
 *       tensor and joins the final sequence into one {@code [1, Σn]} tensor ({@code ConcatFromSequence}), so the
 *       observer sees the values of every iteration. Unlike a scan output this works when the tensor's shape
 *       changes between iterations (a growing decoder state, an {@code If} inside the body that takes
 *       different branches).
 *   <li><b>Scan</b>: a new scan output of the body and of the node ({@code scan_output_axes} and
 *       {@code scan_output_directions} extended with 0 when present), values stacked over iterations; ONNX
 *       Runtime requires the same shape in every iteration.
 * </ul>
 *
 * Tensors that a subgraph reads from an enclosing scope are observed where they are defined. Observed tensors are
 * float32 (quantized layer inputs). New names avoid every name of the model; the original outputs keep their
 * positions except that {@code Loop} gains carried outputs before its scan outputs, which changes no value of
 * the original outputs. Requires opset 11 or later for {@code Loop} (sequence operators).
 */
public final class SubgraphTaps {
    private static final int FLOAT = DataType.FLOAT.onnxCode();

    private final Set<String> names;

    private SubgraphTaps(Set<String> names) {
        this.names = names;
    }

    /**
     * The augmented model and, per observed tensor, the main-graph output that carries its values.
     *
     * @param outputs observed tensor → main-graph output name, in the order the tensors were given
     */
    public record Tapped(ModelProto model, Map<String, String> outputs) {
        public Tapped {
            outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        }
    }

    /**
     * Adds the outputs for {@code tensors}; the input model is not changed.
     *
     * @throws InvalidModelException when a tensor is defined nowhere in the model, or only inside a subgraph of
     *     an operator other than If/Loop/Scan
     */
    public static Tapped tap(ModelProto model, List<String> tensors) {
        SubgraphTaps taps = new SubgraphTaps(GraphScopes.allNames(model));
        Map<String, String> found = new LinkedHashMap<>();
        GraphProto g = taps.lift(model.getGraph(), new LinkedHashSet<>(tensors), found);
        GraphProto.Builder b = g.toBuilder();
        Set<String> outputs = new HashSet<>();
        b.getOutputList().forEach(v -> outputs.add(v.getName()));
        Map<String, String> result = new LinkedHashMap<>();
        for (String t : tensors) {
            String name = found.get(t);
            if (name == null) {
                throw new InvalidModelException("observed tensor '" + t + "' is not computed anywhere in the model");
            }
            if (outputs.add(name)) b.addOutput(floatValue(name));
            result.put(t, name);
        }
        return new Tapped(model.toBuilder().setGraph(b).build(), result);
    }

    /**
     * Rewrites {@code g} so that each tensor of {@code wanted} defined in {@code g} or below gets a name defined
     * in {@code g} carrying its values; records it in {@code found}.
     */
    private GraphProto lift(GraphProto g, Set<String> wanted, Map<String, String> found) {
        Set<String> local = definedIn(g);
        Set<String> below = new LinkedHashSet<>();
        for (String t : wanted) {
            if (local.contains(t)) found.put(t, t);
            else below.add(t);
        }
        if (below.isEmpty()) return g;
        GraphProto.Builder b = g.toBuilder().clearNode();
        for (NodeProto n : g.getNodeList()) {
            Set<String> inside = new LinkedHashSet<>();
            Set<String> definedBelow = definedInSubgraphs(n);
            for (String t : below) if (definedBelow.contains(t)) inside.add(t);
            if (inside.isEmpty()) {
                b.addNode(n);
                continue;
            }
            boolean standard = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
            String op = standard ? n.getOpType() : n.getDomain() + "." + n.getOpType();
            switch (op) {
                case "If" -> liftIf(b, n, inside, found);
                case "Loop" -> liftLoop(b, n, inside, found);
                case "Scan" -> liftScan(b, n, inside, found);
                default ->
                    throw new InvalidModelException(
                            "tensor '" + inside.iterator().next() + "' sits in a subgraph of "
                                    + n.getOpType() + " node '" + n.getName() + "'; only If, Loop and Scan bodies are "
                                    + "observed during calibration");
            }
        }
        return b.build();
    }

    private void liftIf(GraphProto.Builder g, NodeProto n, Set<String> inside, Map<String, String> found) {
        AttributeProto thenAttr = Attributes.find(n, "then_branch").orElseThrow(() -> missing(n, "then_branch"));
        AttributeProto elseAttr = Attributes.find(n, "else_branch").orElseThrow(() -> missing(n, "else_branch"));
        Set<String> inThen = subset(inside, definedBelow(thenAttr.getG()));
        Set<String> inElse = subset(inside, definedBelow(elseAttr.getG()));
        Map<String, String> thenFound = new LinkedHashMap<>();
        Map<String, String> elseFound = new LinkedHashMap<>();
        GraphProto.Builder thenB = lift(thenAttr.getG(), inThen, thenFound).toBuilder();
        GraphProto.Builder elseB = lift(elseAttr.getG(), inElse, elseFound).toBuilder();
        List<String> outs = padded(n.getOutputList(), thenB.getOutputCount());
        for (String t : inThen) {
            branchOutput(thenB, thenFound.get(t), t);
            placeholderOutput(elseB, t);
            outs.add(newOutput(t, found));
        }
        for (String t : inElse) {
            placeholderOutput(thenB, t);
            branchOutput(elseB, elseFound.get(t), t);
            outs.add(newOutput(t, found));
        }
        NodeProto.Builder nb = n.toBuilder().clearOutput().addAllOutput(outs);
        setGraph(nb, "then_branch", thenB.build());
        setGraph(nb, "else_branch", elseB.build());
        g.addNode(nb);
    }

    private void liftLoop(GraphProto.Builder g, NodeProto n, Set<String> inside, Map<String, String> found) {
        AttributeProto bodyAttr = Attributes.find(n, "body").orElseThrow(() -> missing(n, "body"));
        Map<String, String> inner = new LinkedHashMap<>();
        GraphProto.Builder body = lift(bodyAttr.getG(), inside, inner).toBuilder();
        int carried = n.getInputCount() - 2;
        List<String> inputs = new ArrayList<>(n.getInputList());
        List<String> outs = padded(n.getOutputList(), carried);
        List<String> finals = new ArrayList<>();
        int k = 0;
        for (String t : inside) {
            String empty = fresh(t + "_tap_empty");
            String start = fresh(t + "_tap_start");
            g.addNode(node("Constant", t + "_tap_empty", List.of(), List.of(empty))
                    .addAttribute(Attributes.of(
                            "value",
                            TensorProtos.fromTensor(empty, Tensor.ofFloats(new long[] {1, 0}, new float[0])))));
            g.addNode(node("SequenceConstruct", t + "_tap_start", List.of(empty), List.of(start)));
            String seqIn = fresh(t + "_tap_seq_in");
            String flat = fresh(t + "_tap_flat");
            String seqOut = fresh(t + "_tap_seq_out");
            body.addInput(sequenceValue(seqIn));
            body.addNode(node("Flatten", t + "_tap_flatten", List.of(inner.get(t)), List.of(flat))
                    .addAttribute(Attributes.of("axis", 0L)));
            body.addNode(node("SequenceInsert", t + "_tap_append", List.of(seqIn, flat), List.of(seqOut)));
            body.addOutput(1 + carried + k, sequenceValue(seqOut));
            inputs.add(start);
            String last = fresh(t + "_tap_seq");
            outs.add(carried + k, last);
            finals.add(last);
            k++;
        }
        NodeProto.Builder nb =
                n.toBuilder().clearInput().addAllInput(inputs).clearOutput().addAllOutput(outs);
        setGraph(nb, "body", body.build());
        g.addNode(nb);
        k = 0;
        for (String t : inside) {
            String joined = newOutput(t, found);
            g.addNode(node("ConcatFromSequence", t + "_tap_join", List.of(finals.get(k++)), List.of(joined))
                    .addAttribute(Attributes.of("axis", 1L)));
        }
    }

    private void liftScan(GraphProto.Builder g, NodeProto n, Set<String> inside, Map<String, String> found) {
        AttributeProto bodyAttr = Attributes.find(n, "body").orElseThrow(() -> missing(n, "body"));
        Map<String, String> inner = new LinkedHashMap<>();
        GraphProto.Builder body = lift(bodyAttr.getG(), inside, inner).toBuilder();
        List<String> outs = padded(n.getOutputList(), body.getOutputCount());
        for (String t : inside) {
            String scanned = fresh(t + "_tap_scan");
            body.addNode(node("Identity", t + "_tap_identity", List.of(inner.get(t)), List.of(scanned)));
            body.addOutput(floatValue(scanned));
            outs.add(newOutput(t, found));
        }
        NodeProto.Builder nb = n.toBuilder().clearOutput().addAllOutput(outs);
        setGraph(nb, "body", body.build());
        for (String listAttr : List.of("scan_output_axes", "scan_output_directions")) {
            for (int i = 0; i < nb.getAttributeCount(); i++) {
                if (!nb.getAttribute(i).getName().equals(listAttr)) continue;
                AttributeProto.Builder ab = nb.getAttribute(i).toBuilder();
                for (int j = 0; j < inside.size(); j++) ab.addInts(0);
                nb.setAttribute(i, ab);
            }
        }
        g.addNode(nb);
    }

    /** Adds {@code Identity(source)} as a new output of a branch. */
    private void branchOutput(GraphProto.Builder branch, String source, String tensor) {
        String out = fresh(tensor + "_tap_branch");
        branch.addNode(node("Identity", tensor + "_tap_identity", List.of(source), List.of(out)));
        branch.addOutput(floatValue(out));
    }

    /** Adds an empty float {@code [0]} constant as a new output of a branch that does not compute the tensor. */
    private void placeholderOutput(GraphProto.Builder branch, String tensor) {
        String out = fresh(tensor + "_tap_absent");
        branch.addNode(node("Constant", tensor + "_tap_absent", List.of(), List.of(out))
                .addAttribute(Attributes.of(
                        "value", TensorProtos.fromTensor(out, Tensor.ofFloats(new long[] {0}, new float[0])))));
        branch.addOutput(floatValue(out));
    }

    private String newOutput(String tensor, Map<String, String> found) {
        String out = fresh(tensor + "_tap");
        found.put(tensor, out);
        return out;
    }

    private NodeProto.Builder node(String op, String baseName, List<String> in, List<String> out) {
        return NodeProto.newBuilder()
                .setOpType(op)
                .setName(fresh(baseName))
                .addAllInput(in)
                .addAllOutput(out);
    }

    private String fresh(String base) {
        String name = base;
        for (int i = 1; names.contains(name); i++) name = base + "_" + i;
        names.add(name);
        return name;
    }

    private static List<String> padded(List<String> names, int size) {
        List<String> out = new ArrayList<>(names);
        while (out.size() < size) out.add("");
        return out;
    }

    private static Set<String> subset(Set<String> of, Set<String> within) {
        Set<String> out = new LinkedHashSet<>();
        for (String t : of) if (within.contains(t)) out.add(t);
        return out;
    }

    private static void setGraph(NodeProto.Builder nb, String attribute, GraphProto graph) {
        for (int i = 0; i < nb.getAttributeCount(); i++) {
            if (nb.getAttribute(i).getName().equals(attribute)) {
                nb.setAttribute(i, nb.getAttribute(i).toBuilder().setG(graph));
            }
        }
    }

    /** Names defined directly in {@code g}: its inputs, initializers and node outputs. */
    private static Set<String> definedIn(GraphProto g) {
        Set<String> out = new HashSet<>();
        g.getInputList().forEach(v -> out.add(v.getName()));
        g.getInitializerList().forEach(t -> out.add(t.getName()));
        g.getNodeList().forEach(n -> out.addAll(n.getOutputList()));
        out.remove("");
        return out;
    }

    /** Names defined in {@code g} or in any subgraph below it. */
    private static Set<String> definedBelow(GraphProto g) {
        Set<String> out = definedIn(g);
        for (NodeProto n : g.getNodeList()) out.addAll(definedInSubgraphs(n));
        return out;
    }

    private static Set<String> definedInSubgraphs(NodeProto n) {
        Set<String> out = new HashSet<>();
        for (AttributeProto a : n.getAttributeList()) {
            if (a.hasG()) out.addAll(definedBelow(a.getG()));
            a.getGraphsList().forEach(sub -> out.addAll(definedBelow(sub)));
        }
        return out;
    }

    private static ValueInfoProto floatValue(String name) {
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(FLOAT)))
                .build();
    }

    private static ValueInfoProto sequenceValue(String name) {
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setSequenceType(TypeProto.Sequence.newBuilder()
                                .setElemType(TypeProto.newBuilder()
                                        .setTensorType(
                                                TypeProto.Tensor.newBuilder().setElemType(FLOAT)))))
                .build();
    }

    private static InvalidModelException missing(NodeProto n, String attribute) {
        return new InvalidModelException(
                n.getOpType() + " node '" + n.getName() + "' has no '" + attribute + "' graph");
    }
}
