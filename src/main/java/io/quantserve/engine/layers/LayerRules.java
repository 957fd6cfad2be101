package io.quantserve.engine.layers;

import io.quantserve.engine.layers.LayerRule.Accepted;
import io.quantserve.engine.layers.LayerRule.Refused;
import io.quantserve.engine.layers.LayerRule.Scope;
import io.quantserve.engine.layers.LayerRule.Verdict;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.tensor.DataType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registry {@link LayerType} → {@link LayerRule}: AMCT's layer rules, one entry per operator. */
public final class LayerRules {
    private static final Map<LayerType, LayerRule> RULES = new EnumMap<>(LayerType.class);

    static {
        RULES.put(LayerType.CONV, (n, s) -> convLike(LayerType.CONV, n, s));
        RULES.put(LayerType.CONV_TRANSPOSE, (n, s) -> convLike(LayerType.CONV_TRANSPOSE, n, s));
        RULES.put(LayerType.GEMM, LayerRules::gemm);
        RULES.put(LayerType.MATMUL, LayerRules::matmul);
        RULES.put(
                LayerType.AVERAGE_POOL,
                (n, s) -> new Accepted(new QuantizableLayer(
                        n.getName(),
                        LayerType.AVERAGE_POOL,
                        s.path(),
                        n.getInput(0),
                        null,
                        null,
                        new long[0],
                        1,
                        false)));
    }

    private LayerRules() {}

    public static LayerRule rule(LayerType type) {
        return RULES.get(type);
    }

    private static Verdict convLike(LayerType type, NodeProto n, Scope s) {
        if (n.getInputCount() < 2) {
            return new Refused(type.opType() + " without a weight input");
        }
        Optional<Refused> w = checkWeight(n, n.getInput(1), s);
        if (w.isPresent()) return w.get();
        TensorProto weight = s.constant(n.getInput(1)).orElseThrow();
        int rank = weight.getDimsCount();
        if (rank != 4 && rank != 5) {
            return new Refused(type.opType() + (rank - 2) + "D is not quantizable (Conv2D and Conv3D are)");
        }
        String bias = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? n.getInput(2) : null;
        if (bias != null) {
            Optional<Refused> b = checkConstantFloat(bias, "bias", s);
            if (b.isPresent()) return b.get();
        }
        long group = Attributes.getInt(n, "group", 1);
        return new Accepted(new QuantizableLayer(
                n.getName(), type, s.path(), n.getInput(0), n.getInput(1), bias, dims(weight), group, false));
    }

    private static Verdict gemm(NodeProto n, Scope s) {
        if (Attributes.getInt(n, "transA", 0) != 0) {
            return new Refused("Gemm with transA=1 is not quantizable");
        }
        Optional<Refused> w = checkWeight(n, n.getInput(1), s);
        if (w.isPresent()) return w.get();
        TensorProto weight = s.constant(n.getInput(1)).orElseThrow();
        if (weight.getDimsCount() != 2) {
            return new Refused("Gemm weight is not 2-D");
        }
        boolean transB = Attributes.getInt(n, "transB", 0) != 0;
        long outputs = transB ? weight.getDims(0) : weight.getDims(1);
        String bias = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? n.getInput(2) : null;
        if (bias != null) {
            Optional<Refused> b = checkConstantFloat(bias, "bias C", s);
            if (b.isPresent()) return b.get();
            long size = 1;
            for (long d : s.constant(bias).orElseThrow().getDimsList()) size *= d;
            if (size != outputs && size != 1) {
                return new Refused(
                        "Gemm bias C of " + size + " elements is not one value per output (" + outputs + ")");
            }
        }
        return new Accepted(new QuantizableLayer(
                n.getName(), LayerType.GEMM, s.path(), n.getInput(0), n.getInput(1), bias, dims(weight), 1, transB));
    }

    private static Verdict matmul(NodeProto n, Scope s) {
        boolean leftConst = s.constant(n.getInput(0)).isPresent();
        boolean rightConst = s.constant(n.getInput(1)).isPresent();
        if (!rightConst) {
            return new Refused(
                    leftConst
                            ? "MatMul with a constant left operand is not quantizable"
                            : "activation x activation MatMul stays in float");
        }
        Optional<Refused> w = checkWeight(n, n.getInput(1), s);
        if (w.isPresent()) return w.get();
        TensorProto weight = s.constant(n.getInput(1)).orElseThrow();
        if (weight.getDimsCount() != 2) {
            return new Refused(
                    "MatMul weight of rank " + weight.getDimsCount() + " (only 2-D weights are quantizable)");
        }
        return new Accepted(new QuantizableLayer(
                n.getName(), LayerType.MATMUL, s.path(), n.getInput(0), n.getInput(1), null, dims(weight), 1, false));
    }

    private static Optional<Refused> checkWeight(NodeProto n, String weight, Scope s) {
        Optional<Refused> c = checkConstantFloat(weight, "weight", s);
        if (c.isPresent()) return c;
        List<String> readers = s.readers(weight);
        if (readers.size() > 1) {
            List<String> others =
                    readers.stream().filter(r -> !r.equals(n.getName())).toList();
            return Optional.of(new Refused("weight '" + weight + "' is shared with " + String.join(", ", others)
                    + " (shared weights are not quantizable)"));
        }
        return Optional.empty();
    }

    private static Optional<Refused> checkConstantFloat(String tensor, String role, Scope s) {
        Optional<TensorProto> t = s.constant(tensor);
        if (t.isEmpty()) {
            return Optional.of(new Refused(role + " '" + tensor + "' is not a constant"));
        }
        if (t.get().getDataType() != DataType.FLOAT.onnxCode()) {
            return Optional.of(new Refused(
                    role + " '" + tensor + "' is " + DataType.describe(t.get().getDataType()) + ", not float32"));
        }
        return Optional.empty();
    }

    private static long[] dims(TensorProto t) {
        return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }
}
