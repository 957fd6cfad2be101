package io.quantserve.engine.onnx.upgrade;

import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Adapters for operators whose attributes became inputs: the attribute values are stored as initializers and
 * wired to the new input slots, in the order and element type the newer schema asks for. Semantics are
 * unchanged in each case (checked against the ONNX changelog and in ONNX Runtime by the tests).
 */
final class AttributeInputs {
    private AttributeInputs() {}

    /** Slice-1 → Slice-10: {@code starts}, {@code ends}, {@code axes} become int64 inputs 1–3. */
    static void slice(NodeProto n, UpgradeScope s) {
        if (!s.crosses(10)) {
            s.emit(n);
            return;
        }
        List<Long> starts = required(n, s, "starts");
        List<Long> ends = required(n, s, "ends");
        List<String> in =
                new ArrayList<>(List.of(Nodes.input(n, 0), s.int64s(n, "starts", starts), s.int64s(n, "ends", ends)));
        Attributes.find(n, "axes").ifPresent(a -> in.add(s.int64s(n, "axes", a.getIntsList())));
        s.emit(Nodes.withInputs(Nodes.without(n, "starts", "ends", "axes"), in));
    }

    /** TopK-1 → TopK-10: attribute {@code k} becomes the 1-element int64 input {@code K}. */
    static void topK(NodeProto n, UpgradeScope s) {
        if (!s.crosses(10)) {
            s.emit(n);
            return;
        }
        long k = Attributes.find(n, "k")
                .map(AttributeProto::getI)
                .orElseThrow(() -> s.unsupported(n, "TopK-1 without the required attribute 'k'"));
        String kInput = s.int64s(n, "k", List.of(k));
        s.emit(Nodes.withInputs(Nodes.without(n, "k"), List.of(Nodes.input(n, 0), kInput)));
    }

    /**
     * Squeeze, Unsqueeze and ReduceSum at 13: attribute {@code axes} becomes the optional int64 input 1. An
     * absent or empty list stays absent (all size-1 axes / all axes, as before).
     */
    static void axesToInput(NodeProto n, UpgradeScope s) {
        if (!s.crosses(13)) {
            s.emit(n);
            return;
        }
        List<Long> axes = Attributes.getInts(n, "axes");
        if (axes.isEmpty()) {
            s.emit(Nodes.without(n, "axes"));
            return;
        }
        String axesInput = s.int64s(n, "axes", axes);
        s.emit(Nodes.withInputs(Nodes.without(n, "axes"), List.of(Nodes.input(n, 0), axesInput)));
    }

    /**
     * Split: Split-1 could take the sizes as input 1, Split-2 to Split-12 only as attribute {@code split},
     * Split-13 only as input 1 again.
     */
    static void split(NodeProto n, UpgradeScope s) {
        NodeProto out = n;
        String sizesInput = Nodes.input(n, 1);
        if (s.from() < 2 && !sizesInput.isEmpty() && s.to() < 13) {
            Tensor sizes = s.constantValue(sizesInput)
                    .orElseThrow(() -> s.unsupported(
                            n,
                            "Split-2 to Split-12 take the sizes only as an attribute, and input '" + sizesInput
                                    + "' is computed at run time"));
            out = Nodes.withInputs(
                    Nodes.with(n, Attributes.ofInts("split", sizes.toLongs())), List.of(Nodes.input(n, 0)));
        }
        if (s.crosses(13)) {
            List<Long> split = Attributes.getInts(out, "split");
            if (!split.isEmpty()) {
                String splitInput = s.int64s(n, "split", split);
                out = Nodes.withInputs(Nodes.without(out, "split"), List.of(Nodes.input(n, 0), splitInput));
            }
        }
        s.emit(out);
    }

    /** Reshape-1 → Reshape-5: attribute {@code shape} becomes the int64 input 1. */
    static void reshape(NodeProto n, UpgradeScope s) {
        if (!s.crosses(5)) {
            s.emit(n);
            return;
        }
        List<Long> shape = required(n, s, "shape");
        String shapeInput = s.int64s(n, "shape", shape);
        s.emit(Nodes.withInputs(Nodes.without(n, "shape"), List.of(Nodes.input(n, 0), shapeInput)));
    }

    /**
     * Pad: Pad-1's {@code paddings} is Pad-2's {@code pads} (same layout: all begins, then all ends); at 11
     * {@code pads} becomes the int64 input 1 and {@code value} the scalar input 2, typed like the data.
     */
    static void pad(NodeProto n, UpgradeScope s) {
        if (!s.crosses(2) && !s.crosses(11)) {
            s.emit(n);
            return;
        }
        String padsAttr = Attributes.find(n, "pads").isPresent() ? "pads" : "paddings";
        List<Long> pads = required(n, s, padsAttr);
        if (!s.crosses(11)) {
            s.emit(
                    s.crosses(2)
                            ? Nodes.with(Nodes.without(n, "paddings"), Attributes.ofInts("pads", toArray(pads)))
                            : n);
            return;
        }
        String data = Nodes.input(n, 0);
        List<String> in = new ArrayList<>(List.of(data, s.int64s(n, "pads", pads)));
        boolean constantMode = Attributes.getString(n, "mode", "constant").equals("constant");
        Optional<AttributeProto> value = Attributes.find(n, "value");
        if (constantMode && value.isPresent() && value.get().getF() != 0f) {
            int type = s.facts().elemType(data).orElse(TensorProto.DataType.FLOAT_VALUE);
            in.add(s.scalar(n, "value", value.get().getF(), type));
        }
        s.emit(Nodes.withInputs(Nodes.without(n, "pads", "paddings", "value"), in));
    }

    /**
     * Clip-6 → Clip-11: attributes {@code min}/{@code max} become the optional scalar inputs 1 and 2, typed
     * like the data (float32 when the type is not declared anywhere). An absent bound stays absent.
     */
    static void clip(NodeProto n, UpgradeScope s) {
        if (!s.crosses(11)) {
            s.emit(n);
            return;
        }
        String data = Nodes.input(n, 0);
        int type = s.facts().elemType(data).orElse(TensorProto.DataType.FLOAT_VALUE);
        String min = Attributes.find(n, "min")
                .map(a -> s.scalar(n, "min", a.getF(), type))
                .orElse("");
        String max = Attributes.find(n, "max")
                .map(a -> s.scalar(n, "max", a.getF(), type))
                .orElse("");
        s.emit(Nodes.withInputs(Nodes.without(n, "min", "max"), List.of(data, min, max)));
    }

    private static List<Long> required(NodeProto n, UpgradeScope s, String attribute) {
        return Attributes.find(n, attribute)
                .map(AttributeProto::getIntsList)
                .orElseThrow(() -> s.unsupported(n, "the required attribute '" + attribute + "' is missing"));
    }

    private static long[] toArray(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }
}
