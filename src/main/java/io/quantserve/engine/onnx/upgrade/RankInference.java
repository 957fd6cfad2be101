package io.quantserve.engine.onnx.upgrade;

import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

/**
 * The rank of a node's first output where the operator fixes it from the ranks (and constant shape inputs) of
 * its inputs, for the operators models are mostly made of. Conservative: anything not certain is empty.
 * Knowing ranks lets adapters prefer the direct rewrite (e.g. a Softmax already on its last axis) over the
 * rank-agnostic one.
 */
final class RankInference {
    /** Output 0 has the rank of input 0. */
    private static final Set<String> SAME_RANK = Set.of(
            "Abs",
            "Acos",
            "Acosh",
            "Asin",
            "Asinh",
            "Atan",
            "Atanh",
            "AveragePool",
            "BatchNormalization",
            "Cast",
            "Ceil",
            "Celu",
            "Clip",
            "Conv",
            "ConvTranspose",
            "Cos",
            "Cosh",
            "CumSum",
            "DepthToSpace",
            "Dropout",
            "Elu",
            "Erf",
            "Exp",
            "Floor",
            "GlobalAveragePool",
            "GlobalLpPool",
            "GlobalMaxPool",
            "HardSigmoid",
            "Hardmax",
            "Identity",
            "ImageScaler",
            "InstanceNormalization",
            "IsInf",
            "IsNaN",
            "LRN",
            "LeakyRelu",
            "Log",
            "LogSoftmax",
            "LpNormalization",
            "LpPool",
            "MaxPool",
            "MeanVarianceNormalization",
            "Neg",
            "Not",
            "PRelu",
            "Pad",
            "Reciprocal",
            "Relu",
            "Resize",
            "Round",
            "Selu",
            "Shrink",
            "Sigmoid",
            "Sign",
            "Sin",
            "Sinh",
            "Slice",
            "Softmax",
            "Softplus",
            "Softsign",
            "SpaceToDepth",
            "Sqrt",
            "Tan",
            "Tanh",
            "ThresholdedRelu",
            "Tile",
            "Transpose",
            "Upsample",
            "QuantizeLinear",
            "DequantizeLinear",
            "Concat",
            "Split",
            "TopK");
    /** Numpy broadcasting: the largest input rank. */
    private static final Set<String> BROADCAST = Set.of(
            "Add",
            "Sub",
            "Mul",
            "Div",
            "Pow",
            "Mod",
            "Max",
            "Min",
            "Sum",
            "Mean",
            "Equal",
            "Less",
            "Greater",
            "LessOrEqual",
            "GreaterOrEqual",
            "And",
            "Or",
            "Xor",
            "Where",
            "BitShift");

    private static final Set<String> REDUCE = Set.of(
            "ReduceL1",
            "ReduceL2",
            "ReduceLogSum",
            "ReduceLogSumExp",
            "ReduceMax",
            "ReduceMean",
            "ReduceMin",
            "ReduceProd",
            "ReduceSum",
            "ReduceSumSquare");

    private RankInference() {}

    static OptionalInt outputRank(
            NodeProto n, Function<String, OptionalInt> rank, Function<String, Optional<TensorProto>> constant) {
        String op = n.getOpType();
        List<String> in = n.getInputList();
        if (SAME_RANK.contains(op)) return in.isEmpty() ? OptionalInt.empty() : rank.apply(in.getFirst());
        if (BROADCAST.contains(op)) return maxRank(in, rank);
        if (REDUCE.contains(op)) return reduced(n, rank);
        return switch (op) {
            case "Gemm", "Flatten" -> OptionalInt.of(2);
            case "Shape" -> OptionalInt.of(1);
            case "Size" -> OptionalInt.of(0);
            case "MatMul" -> {
                OptionalInt r = maxRank(in, rank);
                yield r.isPresent() && r.getAsInt() >= 2 ? r : OptionalInt.empty();
            }
            case "Reshape" ->
                n.getInputCount() > 1
                        ? constant.apply(n.getInput(1))
                                .map(t -> OptionalInt.of(Math.toIntExact(elementCount(t))))
                                .orElse(OptionalInt.empty())
                        : OptionalInt.of(Attributes.getInts(n, "shape").size());
            case "Gather" -> {
                OptionalInt data = rank.apply(in.getFirst());
                OptionalInt indices = in.size() > 1 ? rank.apply(in.get(1)) : OptionalInt.empty();
                yield data.isPresent() && indices.isPresent()
                        ? OptionalInt.of(data.getAsInt() + indices.getAsInt() - 1)
                        : OptionalInt.empty();
            }
            case "Squeeze", "Unsqueeze" -> {
                OptionalInt r = rank.apply(in.getFirst());
                Optional<Integer> count = axesCount(n, constant);
                if (r.isEmpty() || count.isEmpty()) yield OptionalInt.empty();
                yield OptionalInt.of(r.getAsInt() + (op.equals("Squeeze") ? -count.get() : count.get()));
            }
            default -> OptionalInt.empty();
        };
    }

    private static OptionalInt maxRank(List<String> inputs, Function<String, OptionalInt> rank) {
        int max = -1;
        for (String i : inputs) {
            if (i.isEmpty()) continue;
            OptionalInt r = rank.apply(i);
            if (r.isEmpty()) return OptionalInt.empty();
            max = Math.max(max, r.getAsInt());
        }
        return max < 0 ? OptionalInt.empty() : OptionalInt.of(max);
    }

    private static OptionalInt reduced(NodeProto n, Function<String, OptionalInt> rank) {
        OptionalInt r = rank.apply(n.getInput(0));
        if (r.isEmpty() || Attributes.getInt(n, "keepdims", 1) == 1) return r;
        // keepdims=0: only an explicit axes attribute says how many axes go (an axes input may be dynamic).
        List<Long> axes = Attributes.getInts(n, "axes");
        if (axes.isEmpty() || n.getInputCount() > 1) return OptionalInt.empty();
        return OptionalInt.of(r.getAsInt() - axes.size());
    }

    /** Number of axes of Squeeze/Unsqueeze when given (attribute or constant input); empty for "all size-1". */
    private static Optional<Integer> axesCount(NodeProto n, Function<String, Optional<TensorProto>> constant) {
        if (n.getInputCount() > 1 && !n.getInput(1).isEmpty()) {
            return constant.apply(n.getInput(1)).map(t -> Math.toIntExact(elementCount(t)));
        }
        List<Long> axes = Attributes.getInts(n, "axes");
        return axes.isEmpty() ? Optional.empty() : Optional.of(axes.size());
    }

    private static long elementCount(TensorProto t) {
        long c = 1;
        for (long d : t.getDimsList()) c *= d;
        return c;
    }
}
