package io.quantserve.engine.inspect;

import io.quantserve.engine.inspect.GraphIndex.ConstantSource;
import io.quantserve.engine.inspect.GraphIndex.ScopedNode;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.tensor.DataType;
import java.util.List;
import java.util.Locale;

/** Plain-words descriptions of graph elements for change reports and refusal messages. */
final class Phrases {
    private Phrases() {}

    /** E.g. {@code QLinearAdd (com.microsoft) node 'add1' in If_0/then_branch}. */
    static String node(ScopedNode s) {
        NodeProto n = s.node();
        String domain = n.getDomain().isEmpty() ? "" : " (" + n.getDomain() + ")";
        String where = s.scope().isEmpty() ? "" : " in " + s.scope();
        return n.getOpType() + domain + " node '" + n.getName() + "'" + where;
    }

    /** E.g. {@code an int8 weight 'w' (through Cast_3)}. */
    static String weight(ConstantSource c) {
        String type = typeName(c.constant().getDataType());
        String article = type.startsWith("int") ? "an " : "a ";
        String via = c.via().isEmpty() ? "" : " (through " + String.join(", ", c.via()) + ")";
        return article + type + " weight '" + c.constant().getName() + "'" + via;
    }

    /** NumPy-style element type name of any ONNX element type code ({@code float32}, {@code bfloat16}, …). */
    static String typeName(int onnxCode) {
        return DataType.fromOnnx(onnxCode).map(DataType::displayName).orElseGet(() -> {
            TensorProto.DataType t = TensorProto.DataType.forNumber(onnxCode);
            return t == null ? DataType.describe(onnxCode) : t.name().toLowerCase(Locale.ROOT);
        });
    }

    /** The first {@code limit} items joined with ", ", followed by "and N more" when some were left out. */
    static String examples(List<String> items, int limit) {
        if (items.size() <= limit) return String.join(", ", items);
        return String.join(", ", items.subList(0, limit)) + " and " + (items.size() - limit) + " more";
    }
}
