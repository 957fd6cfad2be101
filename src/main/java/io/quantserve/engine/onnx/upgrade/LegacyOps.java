package io.quantserve.engine.onnx.upgrade;

import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Adapters for attributes that were dropped, renamed or retyped on the way from opset 1 to 12. */
final class LegacyOps {
    private LegacyOps() {}

    /** Concat-4 made {@code axis} required; Concat-1 defaulted it to 1. */
    static void concat(NodeProto n, UpgradeScope s) {
        boolean missing = Attributes.find(n, "axis").isEmpty();
        s.emit(s.crosses(4) && missing ? Nodes.with(n, Attributes.of("axis", 1L)) : n);
    }

    /** Cast-6 names the target type by its enum number; Cast-1 by its name. */
    static void cast(NodeProto n, UpgradeScope s) {
        Optional<AttributeProto> to = Attributes.find(n, "to");
        if (s.crosses(6) && to.isPresent() && to.get().getType() == AttributeProto.AttributeType.STRING) {
            long code = LegacyCastType.code(to.get().getS().toStringUtf8());
            s.emit(Nodes.with(n, Attributes.of("to", code)));
            return;
        }
        s.emit(n);
    }

    /**
     * BatchNormalization: {@code is_test} went at 7 (inference is what the engine runs), {@code spatial} at 9;
     * only {@code spatial=1} (statistics per channel, the default) has an opset-9 equivalent.
     */
    static void batchNormalization(NodeProto n, UpgradeScope s) {
        NodeProto out = n;
        if (s.crosses(7)) out = Nodes.without(out, "is_test");
        if (s.crosses(9)) {
            if (Attributes.getInt(n, "spatial", 1) != 1) {
                throw s.unsupported(n, "spatial=0 (statistics per activation) has no equivalent from opset 9 on");
            }
            out = Nodes.without(out, "spatial");
        }
        s.emit(out);
    }

    /**
     * Dropout: {@code is_test} went at 7; at 10 the mask output became bool (it had the data's type, so a Cast
     * back keeps its readers valid); at 12 {@code ratio} became an input. In inference the output is the input
     * either way, and the mask reads "every element kept" (ones, as Dropout-12 defines it; ONNX Runtime's
     * kernel for opsets 7–11 happens to write zeros there).
     */
    static void dropout(NodeProto n, UpgradeScope s) {
        NodeProto out = n;
        if (s.crosses(7)) out = Nodes.without(out, "is_test");
        if (s.crosses(12)) {
            Optional<AttributeProto> ratio = Attributes.find(n, "ratio");
            out = Nodes.without(out, "ratio");
            if (ratio.isPresent()) {
                String r = s.scalar(n, "ratio", ratio.get().getF(), TensorProto.DataType.FLOAT_VALUE);
                out = Nodes.withInputs(out, List.of(Nodes.input(n, 0), r));
            }
        }
        boolean hasMask = n.getOutputCount() > 1 && !n.getOutput(1).isEmpty();
        if (!s.crosses(10) || !hasMask) {
            s.emit(out);
            return;
        }
        String mask = n.getOutput(1);
        String boolMask = s.fresh(n, "mask_bool");
        s.emit(out.toBuilder().setOutput(1, boolMask).build());
        int dataType = s.facts().elemType(Nodes.input(n, 0)).orElse(TensorProto.DataType.FLOAT_VALUE);
        s.emit(Nodes.node(
                "Cast", s.fresh(n, "mask_cast"), List.of(boolMask), List.of(mask), Attributes.of("to", dataType)));
    }

    /** Gemm-7 broadcasts C unidirectionally; the {@code broadcast} flag of Gemm-1/6 went away. */
    static void gemm(NodeProto n, UpgradeScope s) {
        s.emit(s.crosses(7) ? Nodes.without(n, "broadcast") : n);
    }

    /** GRU, LSTM, RNN: {@code output_sequence} went at 7 (the Y output is produced when it is asked for). */
    static void recurrent(NodeProto n, UpgradeScope s) {
        s.emit(s.crosses(7) ? Nodes.without(n, "output_sequence") : n);
    }

    /** LpPool, GlobalLpPool: {@code p} changed from float to int at 2. */
    static void lpPool(NodeProto n, UpgradeScope s) {
        Optional<AttributeProto> p = Attributes.find(n, "p");
        if (!s.crosses(2) || p.isEmpty() || p.get().getType() != AttributeProto.AttributeType.FLOAT) {
            s.emit(n);
            return;
        }
        float value = p.get().getF();
        if (value != Math.rint(value)) {
            throw s.unsupported(n, "p=" + value + " is not an integer, which LpPool-2 requires");
        }
        s.emit(Nodes.with(n, Attributes.of("p", (long) value)));
    }

    /** Scatter was deprecated at 11 in favour of ScatterElements, which has the same inputs and semantics. */
    static void scatter(NodeProto n, UpgradeScope s) {
        s.emit(s.crosses(11) ? n.toBuilder().setOpType("ScatterElements").build() : n);
    }

    /**
     * ImageScaler (experimental, gone from opset 10): {@code y = scale·x + bias[c]} on NCHW float input,
     * rewritten as Mul and Add with the bias stored as {@code [1, C, 1, 1]}.
     */
    static void imageScaler(NodeProto n, UpgradeScope s) {
        String x = Nodes.input(n, 0);
        int type = s.facts().elemType(x).orElse(TensorProto.DataType.FLOAT_VALUE);
        if (type != TensorProto.DataType.FLOAT_VALUE) {
            throw s.unsupported(n, "only float32 input is rewritten, this one is of ONNX type " + type);
        }
        List<Float> bias =
                Attributes.find(n, "bias").map(AttributeProto::getFloatsList).orElse(List.of());
        String scale = s.scalar(n, "scale", Attributes.getFloat(n, "scale", 1f), type);
        String y = n.getOutput(0);
        String scaled = bias.isEmpty() ? y : s.fresh(n, "scaled");
        s.emit(Nodes.node(
                "Mul", n.getName().isEmpty() ? s.fresh(n, "mul") : n.getName(), List.of(x, scale), List.of(scaled)));
        if (bias.isEmpty()) return;
        float[] b = new float[bias.size()];
        for (int i = 0; i < b.length; i++) b[i] = bias.get(i);
        String biasName = s.constant(n, "bias", Tensor.ofFloats(new long[] {1, b.length, 1, 1}, b));
        s.emit(Nodes.node("Add", s.fresh(n, "add"), List.of(scaled, biasName), List.of(y)));
    }

    /**
     * Binary ops before 7 (Add, Sub, Mul, Div, Pow, And, Or, Xor, Equal, Greater, Less) broadcast only when
     * {@code broadcast=1}, aligning B with A at {@code axis} (trailing axes by default); numpy broadcasting from
     * 7 aligns trailing axes, so a B aligned elsewhere gets size-1 trailing axes appended.
     */
    static void legacyBroadcast(NodeProto n, UpgradeScope s) {
        if (!s.crosses(7)) {
            s.emit(n);
            return;
        }
        NodeProto out = Nodes.without(n, "broadcast", "axis");
        Optional<AttributeProto> axis = Attributes.find(n, "axis");
        if (Attributes.getInt(n, "broadcast", 0) == 0 || axis.isEmpty()) {
            s.emit(out);
            return;
        }
        String a = Nodes.input(n, 0);
        String b = Nodes.input(n, 1);
        OptionalInt rankA = s.facts().rank(a);
        OptionalInt rankB = s.facts().rank(b);
        if (rankA.isEmpty() || rankB.isEmpty()) {
            throw s.unsupported(
                    n,
                    "broadcast along axis " + axis.get().getI() + " needs the ranks of '" + a + "' and '" + b
                            + "', which the model does not declare");
        }
        int trailing = (int) (rankA.getAsInt() - axis.get().getI() - rankB.getAsInt());
        if (trailing <= 0) {
            s.emit(out);
            return;
        }
        String aligned = withTrailingAxes(n, b, rankB.getAsInt(), trailing, s);
        s.emit(Nodes.withInputs(out, List.of(a, aligned)));
    }

    /**
     * PRelu-1/6 applied a 1-D slope of C values per channel (axis 1, as Caffe2 and PyTorch's exports use it);
     * from 7 the slope broadcasts numpy-style from the trailing axis, so such a slope is given shape
     * {@code [C, 1, …, 1]} (rank of X minus one). A slope of one value, or of higher rank, needs nothing.
     */
    static void prelu(NodeProto n, UpgradeScope s) {
        String x = Nodes.input(n, 0);
        String slope = Nodes.input(n, 1);
        OptionalInt slopeRank = s.facts().rank(slope);
        Optional<Tensor> constantSlope = s.constantValue(slope);
        boolean perChannel = slopeRank.orElse(-1) == 1
                && constantSlope.map(t -> t.size() > 1).orElse(true);
        if (!s.crosses(7) || !perChannel) {
            s.emit(n);
            return;
        }
        OptionalInt rankX = s.facts().rank(x);
        if (rankX.isEmpty()) {
            throw s.unsupported(
                    n, "a per-channel slope needs the rank of '" + x + "', which the model does not declare");
        }
        int trailing = rankX.getAsInt() - 2;
        if (trailing <= 0) {
            s.emit(n);
            return;
        }
        s.emit(Nodes.withInputs(n, List.of(x, withTrailingAxes(n, slope, 1, trailing, s))));
    }

    /**
     * {@code tensor} (of rank {@code rank}) with {@code trailing} size-1 axes appended: a reshaped initializer
     * when it is a constant, else an Unsqueeze in the form of the target opset.
     */
    private static String withTrailingAxes(NodeProto n, String tensor, int rank, int trailing, UpgradeScope s) {
        Optional<Tensor> constant = s.constantValue(tensor);
        if (constant.isPresent()) {
            long[] old = constant.get().shape();
            long[] shape = new long[old.length + trailing];
            System.arraycopy(old, 0, shape, 0, old.length);
            for (int i = old.length; i < shape.length; i++) shape[i] = 1;
            return s.constant(n, "aligned", constant.get().reshape(shape));
        }
        List<Long> axes = new ArrayList<>();
        for (int i = 0; i < trailing; i++) axes.add((long) rank + i);
        String aligned = s.fresh(n, "aligned");
        NodeProto unsqueeze = s.to() >= 13
                ? Nodes.node(
                        "Unsqueeze",
                        s.fresh(n, "align"),
                        List.of(tensor, s.int64s(n, "align_axes", axes)),
                        List.of(aligned))
                : Nodes.node(
                        "Unsqueeze",
                        s.fresh(n, "align"),
                        List.of(tensor),
                        List.of(aligned),
                        Attributes.ofInts(
                                "axes", axes.stream().mapToLong(Long::longValue).toArray()));
        s.emit(unsqueeze);
        return aligned;
    }

    /** An adapter for an op version the engine cannot rewrite: it fails when the upgrade crosses {@code version}. */
    static OpAdapter refuseAcross(int version, String why) {
        return (n, s) -> {
            if (s.crosses(version)) throw s.unsupported(n, why);
            s.emit(n);
        };
    }
}
