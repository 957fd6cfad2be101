package io.quantserve.engine.onnx.upgrade;

import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Small, order-preserving edits of a node's attributes and inputs. */
final class Nodes {
    private Nodes() {}

    /** The node without the named attributes; the others keep their order. */
    static NodeProto without(NodeProto node, String... names) {
        Set<String> drop = Set.of(names);
        if (node.getAttributeList().stream().noneMatch(a -> drop.contains(a.getName()))) return node;
        List<AttributeProto> kept = node.getAttributeList().stream()
                .filter(a -> !drop.contains(a.getName()))
                .toList();
        return node.toBuilder().clearAttribute().addAllAttribute(kept).build();
    }

    /** The node with {@code attribute} replacing the one of the same name, or appended when there was none. */
    static NodeProto with(NodeProto node, AttributeProto attribute) {
        NodeProto.Builder b = node.toBuilder();
        for (int i = 0; i < b.getAttributeCount(); i++) {
            if (b.getAttribute(i).getName().equals(attribute.getName())) {
                b.setAttribute(i, attribute);
                return b.build();
            }
        }
        return b.addAttribute(attribute).build();
    }

    /** The node reading {@code inputs}; trailing empty (omitted optional) inputs are dropped. */
    static NodeProto withInputs(NodeProto node, List<String> inputs) {
        List<String> in = new ArrayList<>(inputs);
        while (!in.isEmpty() && in.getLast().isEmpty()) in.removeLast();
        return node.toBuilder().clearInput().addAllInput(in).build();
    }

    /** The input at {@code index}, or {@code ""} when the node omits it. */
    static String input(NodeProto node, int index) {
        return index < node.getInputCount() ? node.getInput(index) : "";
    }

    /** A default-domain node with the given wiring and attributes. */
    static NodeProto node(String opType, String name, List<String> in, List<String> out, AttributeProto... attrs) {
        return NodeProto.newBuilder()
                .setOpType(opType)
                .setName(name)
                .addAllInput(in)
                .addAllOutput(out)
                .addAllAttribute(List.of(attrs))
                .build();
    }
}
