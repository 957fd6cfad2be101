package io.quantserve.engine.onnx.upgrade;

import io.quantserve.engine.QuantServeException;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.TensorProtos;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.onnx.proto.Onnx.TypeProto;
import io.quantserve.engine.onnx.proto.Onnx.ValueInfoProto;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the upgrader knows about the tensors of one graph (and, through {@code outer}, of the graphs enclosing
 * it): element types (declared, or carried forward through the operators whose output type is evident), ranks
 * (declared, stored, or fixed by the operator: {@link RankInference}) and constant values (initializers and {@code Constant} outputs).
 * Adapters use it to type the constants they create and to pick the cheapest exact rewrite; a fact that is not
 * known is absent, never guessed.
 */
final class TensorFacts {
    private static final int INT64 = TensorProto.DataType.INT64_VALUE;
    private static final int INT32 = TensorProto.DataType.INT32_VALUE;
    private static final int BOOL = TensorProto.DataType.BOOL_VALUE;
    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    private static final int UINT8 = TensorProto.DataType.UINT8_VALUE;

    private static final Set<String> INT64_OUTPUT =
            Set.of("Shape", "Size", "NonZero", "ArgMax", "ArgMin", "NonMaxSuppression");
    private static final Set<String> BOOL_OUTPUT = Set.of(
            "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Not", "And", "Or", "Xor", "IsNaN", "IsInf");
    /** Ops whose output types are not those of their first input and that the rules below do not cover. */
    private static final Set<String> OPAQUE = Set.of(
            "If",
            "Loop",
            "Scan",
            "SequenceAt",
            "SequenceConstruct",
            "SequenceEmpty",
            "SequenceErase",
            "SequenceInsert",
            "SequenceLength",
            "SplitToSequence",
            "ConcatFromSequence",
            "StringNormalizer");

    private final @Nullable TensorFacts outer;
    private final Map<String, Integer> elemTypes = new HashMap<>();
    private final Map<String, Integer> ranks = new HashMap<>();
    private final Map<String, Integer> lengths = new HashMap<>();
    private final Map<String, TensorProto> constants = new HashMap<>();

    private TensorFacts(@Nullable TensorFacts outer) {
        this.outer = outer;
    }

    /** Facts of {@code graph}, whose free names resolve in {@code outer} (null for the main graph). */
    static TensorFacts of(GraphProto graph, @Nullable TensorFacts outer) {
        TensorFacts f = new TensorFacts(outer);
        for (List<ValueInfoProto> infos :
                List.of(graph.getInputList(), graph.getValueInfoList(), graph.getOutputList())) {
            infos.forEach(f::declare);
        }
        for (TensorProto t : graph.getInitializerList()) {
            f.elemTypes.put(t.getName(), t.getDataType());
            f.stored(t.getName(), t);
        }
        for (NodeProto n : graph.getNodeList()) {
            f.infer(n);
        }
        return f;
    }

    private void declare(ValueInfoProto v) {
        if (!v.hasType() || v.getType().getValueCase() != TypeProto.ValueCase.TENSOR_TYPE) return;
        TypeProto.Tensor t = v.getType().getTensorType();
        if (t.getElemType() != 0) elemTypes.put(v.getName(), t.getElemType());
        if (!t.hasShape()) return;
        ranks.put(v.getName(), t.getShape().getDimCount());
        if (t.getShape().getDimCount() == 1 && t.getShape().getDim(0).hasDimValue()) {
            lengths.put(v.getName(), Math.toIntExact(t.getShape().getDim(0).getDimValue()));
        }
    }

    /** Records a stored tensor (initializer or Constant output): its value, rank and, for a vector, length. */
    private void stored(String name, TensorProto t) {
        constants.put(name, t);
        ranks.put(name, t.getDimsCount());
        if (t.getDimsCount() == 1) lengths.put(name, Math.toIntExact(t.getDims(0)));
    }

    private void infer(NodeProto n) {
        boolean defaultDomain = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
        if (!defaultDomain || n.getOutputCount() == 0) return;
        String op = n.getOpType();
        if (op.equals("Constant")) {
            constantValue(n).ifPresent(t -> {
                String out = n.getOutput(0);
                stored(out, t.toBuilder().setName(out).build());
                elemTypes.putIfAbsent(out, t.getDataType());
            });
            return;
        }
        String out0 = n.getOutput(0);
        if (!ranks.containsKey(out0)) {
            RankInference.outputRank(n, this::rank, this::length).ifPresent(r -> ranks.put(out0, r));
        }
        if (!lengths.containsKey(out0) && rank(out0).orElse(-1) == 1) {
            RankInference.vectorLength(n, this::rank, this::length, this::constantLongs)
                    .ifPresent(l -> lengths.put(out0, l));
        }
        Optional<Integer> first = outputType(n);
        first.ifPresent(t -> elemTypes.putIfAbsent(n.getOutput(0), t));
        boolean indexOutputs = op.equals("TopK") || op.equals("MaxPool") || op.equals("Unique");
        for (int i = 1; i < n.getOutputCount(); i++) {
            String out = n.getOutput(i);
            if (indexOutputs) {
                elemTypes.putIfAbsent(out, INT64);
            } else if (!op.equals("Dropout")) {
                first.ifPresent(t -> elemTypes.putIfAbsent(out, t));
            }
        }
    }

    private Optional<Integer> outputType(NodeProto n) {
        String op = n.getOpType();
        if (INT64_OUTPUT.contains(op)) return Optional.of(INT64);
        if (BOOL_OUTPUT.contains(op)) return Optional.of(BOOL);
        if (OPAQUE.contains(op)) return Optional.empty();
        return switch (op) {
            case "Cast" -> castTarget(n);
            case "DequantizeLinear", "TfIdfVectorizer" -> Optional.of(FLOAT);
            case "QuantizeLinear" -> n.getInputCount() > 2 ? input(n, 2) : Optional.of(UINT8);
            case "DynamicQuantizeLinear" -> Optional.of(UINT8);
            case "ConvInteger", "MatMulInteger" -> Optional.of(INT32);
            case "QLinearConv", "QLinearMatMul" -> input(n, 7);
            case "ConstantOfShape" ->
                Optional.of(Attributes.find(n, "value")
                        .map(a -> a.getT().getDataType())
                        .orElse(FLOAT));
            case "RandomNormal", "RandomUniform" -> Optional.of((int) Attributes.getInt(n, "dtype", FLOAT));
            case "Multinomial" -> Optional.of((int) Attributes.getInt(n, "dtype", INT32));
            case "EyeLike", "RandomNormalLike", "RandomUniformLike" ->
                Attributes.find(n, "dtype").map(a -> (int) a.getI()).or(() -> input(n, 0));
            case "Where" -> input(n, 1);
            case "OneHot" -> input(n, 2);
            default -> input(n, 0);
        };
    }

    private Optional<Integer> input(NodeProto n, int index) {
        if (n.getInputCount() <= index || n.getInput(index).isEmpty()) return Optional.empty();
        return elemType(n.getInput(index));
    }

    private static Optional<Integer> castTarget(NodeProto n) {
        return Attributes.find(n, "to")
                .map(a -> a.getType() == AttributeProto.AttributeType.STRING
                        ? LegacyCastType.code(a.getS().toStringUtf8())
                        : (int) a.getI());
    }

    /** The tensor a {@code Constant} node produces, when it is a dense tensor or a float/int (list). */
    static Optional<TensorProto> constantValue(NodeProto constant) {
        for (AttributeProto a : constant.getAttributeList()) {
            switch (a.getName()) {
                case "value" -> {
                    return Optional.of(a.getT());
                }
                case "value_float" -> {
                    return Optional.of(TensorProto.newBuilder()
                            .setDataType(FLOAT)
                            .addFloatData(a.getF())
                            .build());
                }
                case "value_floats" -> {
                    return Optional.of(TensorProto.newBuilder()
                            .setDataType(FLOAT)
                            .addDims(a.getFloatsCount())
                            .addAllFloatData(a.getFloatsList())
                            .build());
                }
                case "value_int" -> {
                    return Optional.of(TensorProto.newBuilder()
                            .setDataType(INT64)
                            .addInt64Data(a.getI())
                            .build());
                }
                case "value_ints" -> {
                    return Optional.of(TensorProto.newBuilder()
                            .setDataType(INT64)
                            .addDims(a.getIntsCount())
                            .addAllInt64Data(a.getIntsList())
                            .build());
                }
                default -> {}
            }
        }
        return Optional.empty();
    }

    /** ONNX element type code of {@code tensor}, if declared or evident. */
    Optional<Integer> elemType(String tensor) {
        Integer t = elemTypes.get(tensor);
        if (t != null) return Optional.of(t);
        return outer == null ? Optional.empty() : outer.elemType(tensor);
    }

    /** Rank of {@code tensor}, if declared or stored. */
    OptionalInt rank(String tensor) {
        Integer r = ranks.get(tensor);
        if (r != null) return OptionalInt.of(r);
        return outer == null ? OptionalInt.empty() : outer.rank(tensor);
    }

    /** Element count of {@code tensor} when it is a 1-D tensor of known length. */
    OptionalInt length(String tensor) {
        Integer l = lengths.get(tensor);
        if (l != null) return OptionalInt.of(l);
        return outer == null ? OptionalInt.empty() : outer.length(tensor);
    }

    /** The values of {@code tensor} when it is a stored integer tensor. */
    Optional<long[]> constantLongs(String tensor) {
        return constant(tensor).flatMap(t -> {
            if (t.getDataType() != INT64 && t.getDataType() != INT32) return Optional.empty();
            try {
                return Optional.of(TensorProtos.toTensor(t, null).toLongs());
            } catch (QuantServeException | IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }

    /** The stored value of {@code tensor} when it is an initializer or a {@code Constant} output. */
    Optional<TensorProto> constant(String tensor) {
        TensorProto t = constants.get(tensor);
        if (t != null) return Optional.of(t);
        return outer == null ? Optional.empty() : outer.constant(tensor);
    }
}
