package io.quantserve.engine.onnx.upgrade;

import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

/**
 * The rank of a node's first output where the operator fixes it from the ranks of its inputs (and the lengths
 * of its shape and axes vectors), for the operators models are mostly made of. Conservative: anything not certain is empty.
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

    /**
     * @param rank the known rank of a tensor
     * @param length the known element count of a 1-D tensor (shape vectors and axes lists)
     */
    static OptionalInt outputRank(
            NodeProto n, Function<String, OptionalInt> rank, Function<String, OptionalInt> length) {
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
                // numpy matmul: a 1-D operand loses its matrix axis in the result.
                OptionalInt a = rank.apply(in.get(0));
                OptionalInt b = in.size() > 1 ? rank.apply(in.get(1)) : OptionalInt.empty();
                if (a.isEmpty() || b.isEmpty()) yield OptionalInt.empty();
                int ra = a.getAsInt();
                int rb = b.getAsInt();
                if (ra >= 2 && rb >= 2) yield OptionalInt.of(Math.max(ra, rb));
                if (ra == 1 && rb == 1) yield OptionalInt.of(0);
                yield ra == 1 ? OptionalInt.of(rb - 1) : OptionalInt.of(ra - 1);
            }
            case "Reshape" ->
                n.getInputCount() > 1
                        ? length.apply(n.getInput(1))
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
                OptionalInt count = axesCount(n, length);
                if (r.isEmpty() || count.isEmpty()) yield OptionalInt.empty();
                yield OptionalInt.of(r.getAsInt() + (op.equals("Squeeze") ? -count.getAsInt() : count.getAsInt()));
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

    /** Number of axes of Squeeze/Unsqueeze when given (attribute or 1-D input); empty for "all size-1". */
    private static OptionalInt axesCount(NodeProto n, Function<String, OptionalInt> length) {
        if (n.getInputCount() > 1 && !n.getInput(1).isEmpty()) return length.apply(n.getInput(1));
        List<Long> axes = Attributes.getInts(n, "axes");
        return axes.isEmpty() ? OptionalInt.empty() : OptionalInt.of(axes.size());
    }

    /** Length of a 1-D Slice with constant bounds and a positive step (Slice-1 attributes or Slice-10 inputs). */
    private static OptionalInt sliceLength(
            NodeProto n, OptionalInt inputLength, Function<String, Optional<long[]>> constantLongs) {
        if (inputLength.isEmpty()) return OptionalInt.empty();
        Optional<long[]> starts;
        Optional<long[]> ends;
        Optional<long[]> steps = Optional.of(new long[] {1});
        if (n.getInputCount() == 1) {
            starts = Optional.of(Attributes.getInts(n, "starts").stream()
                    .mapToLong(Long::longValue)
                    .toArray());
            ends = Optional.of(Attributes.getInts(n, "ends").stream()
                    .mapToLong(Long::longValue)
                    .toArray());
        } else {
            starts = constantLongs.apply(n.getInput(1));
            ends = n.getInputCount() > 2 ? constantLongs.apply(n.getInput(2)) : Optional.empty();
            if (n.getInputCount() > 4 && !n.getInput(4).isEmpty()) steps = constantLongs.apply(n.getInput(4));
        }
        if (starts.isEmpty() || ends.isEmpty() || steps.isEmpty()) return OptionalInt.empty();
        if (starts.get().length != 1 || ends.get().length != 1 || steps.get().length != 1) return OptionalInt.empty();
        long step = steps.get()[0];
        if (step <= 0) return OptionalInt.empty();
        long size = inputLength.getAsInt();
        long start = clamp(starts.get()[0], size);
        long end = clamp(ends.get()[0], size);
        return OptionalInt.of((int) Math.max(0, (end - start + step - 1) / step));
    }

    /** A Slice bound on an axis of {@code size} elements: negative counts from the end, then clamped to [0, size]. */
    private static long clamp(long bound, long size) {
        long b = bound < 0 ? bound + size : bound;
        return Math.max(0, Math.min(size, b));
    }

    /**
     * The element count of output 0 when it is a 1-D tensor whose length the operator fixes: the shape
     * vectors models assemble at run time ({@code Concat} of {@code Unsqueeze}d scalars and {@code Shape}s),
     * so that a {@code Reshape} to them has a known rank.
     */
    static OptionalInt vectorLength(
            NodeProto n,
            Function<String, OptionalInt> rank,
            Function<String, OptionalInt> length,
            Function<String, Optional<long[]>> constantLongs) {
        List<String> in = n.getInputList();
        if (in.isEmpty()) return OptionalInt.empty();
        return switch (n.getOpType()) {
            case "Shape" -> rank.apply(in.getFirst());
            case "Cast", "Identity" -> length.apply(in.getFirst());
            case "Unsqueeze" ->
                rank.apply(in.getFirst()).orElse(-1) == 0
                                && axesCount(n, length).orElse(-1) == 1
                        ? OptionalInt.of(1)
                        : OptionalInt.empty();
            case "Slice" -> sliceLength(n, length.apply(in.getFirst()), constantLongs);
            case "Concat" -> {
                long axis = Attributes.getInt(n, "axis", 0);
                if (axis != 0 && axis != -1) yield OptionalInt.empty();
                int total = 0;
                for (String i : in) {
                    OptionalInt l = length.apply(i);
                    if (l.isEmpty() || rank.apply(i).orElse(-1) != 1) yield OptionalInt.empty();
                    total += l.getAsInt();
                }
                yield OptionalInt.of(total);
            }
            default -> OptionalInt.empty();
        };
    }
}
