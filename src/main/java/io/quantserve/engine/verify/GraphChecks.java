package io.quantserve.engine.verify;

import io.quantserve.engine.QuantServeException;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.onnx.proto.Onnx.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Structural checks every exported model passes before it is published, including the deploy model that ONNX
 * Runtime cannot load: node names unique and non-empty, every tensor produced once (SSA), every node input defined
 * before use (graph input, initializer, earlier node output, or a value of an enclosing scope), every graph output
 * produced, initializer names unique, and no empty-named initializer. Subgraphs are checked with their scope.
 */
public final class GraphChecks {
    private GraphChecks() {}

    /** The problems found, empty for a well-formed model. */
    public static List<String> problems(ModelProto model) {
        List<String> problems = new ArrayList<>();
        Set<String> nodeNames = new HashSet<>();
        check(model.getGraph(), "main graph", Set.of(), nodeNames, problems);
        return problems;
    }

    /** Throws {@code invalid-export} naming the model and the first problems when there are any. */
    public static void require(ModelProto model, String what) {
        List<String> problems = problems(model);
        if (!problems.isEmpty()) {
            throw new QuantServeException(
                    "invalid-export",
                    what + " is malformed: " + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
                            + (problems.size() > 5 ? " (and " + (problems.size() - 5) + " more)" : ""));
        }
    }

    private static void check(
            GraphProto g, String scope, Set<String> outer, Set<String> nodeNames, List<String> problems) {
        Set<String> defined = new HashSet<>(outer);
        Set<String> produced = new HashSet<>();
        for (ValueInfoProto v : g.getInputList()) defined.add(v.getName());
        Set<String> initializers = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            if (t.getName().isEmpty()) problems.add(scope + ": initializer without a name");
            if (!initializers.add(t.getName())) problems.add(scope + ": initializer '" + t.getName() + "' twice");
            defined.add(t.getName());
        }
        for (NodeProto n : g.getNodeList()) {
            if (n.getName().isEmpty()) {
                problems.add(scope + ": a " + n.getOpType() + " node has no name");
            } else if (!nodeNames.add(n.getName())) {
                problems.add(scope + ": node name '" + n.getName() + "' is used twice");
            }
            for (String in : n.getInputList()) {
                if (!in.isEmpty() && !defined.contains(in)) {
                    problems.add(scope + ": node '" + n.getName() + "' reads '" + in + "' before it is defined");
                }
            }
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG())
                    check(a.getG(), scope + "/" + n.getName() + "/" + a.getName(), defined, nodeNames, problems);
                for (GraphProto sub : a.getGraphsList()) {
                    check(sub, scope + "/" + n.getName() + "/" + a.getName(), defined, nodeNames, problems);
                }
            }
            for (String out : n.getOutputList()) {
                if (out.isEmpty()) continue;
                if (!produced.add(out) || initializers.contains(out)) {
                    problems.add(scope + ": tensor '" + out + "' is produced more than once");
                }
                defined.add(out);
            }
        }
        for (ValueInfoProto o : g.getOutputList()) {
            if (!defined.contains(o.getName()))
                problems.add(scope + ": graph output '" + o.getName() + "' is never produced");
        }
    }
}
