package io.quantserve.engine.onnx.upgrade;

import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import java.util.List;
import java.util.OptionalInt;

/**
 * Softmax, LogSoftmax and Hardmax before opset 13 coerce the input to 2-D at {@code axis} (default 1),
 * {@code [d0·…·d(axis-1), d(axis)·…·d(n-1)]}, and normalise each row; from 13 they normalise along the single
 * axis {@code axis} (default -1). The two agree only when {@code axis} is the last axis ({@code -1}, or the
 * rank minus one when the rank is known or can be inferred). Otherwise the old
 * semantics are rebuilt exactly as {@code Reshape(op(Flatten(x, axis), axis=-1), Shape(x))}, which needs no
 * knowledge of the rank.
 */
final class SoftmaxAxis {
    private SoftmaxAxis() {}

    static void upgrade(NodeProto n, UpgradeScope s) {
        if (!s.crosses(13)) {
            s.emit(n);
            return;
        }
        long axis = Attributes.getInt(n, "axis", 1);
        if (axis == -1) {
            // Coercing at the last axis leaves rows that are exactly the last axis: same meaning at any rank.
            s.emit(n);
            return;
        }
        String x = Nodes.input(n, 0);
        // The output has the input's rank, so a declared output shape tells it too.
        OptionalInt rank = s.facts().rank(x);
        if (rank.isEmpty()) rank = s.facts().rank(n.getOutput(0));
        if (rank.isPresent() && rank.getAsInt() > 0) {
            long normalized = axis < 0 ? axis + rank.getAsInt() : axis;
            if (normalized == rank.getAsInt() - 1) {
                s.emit(Nodes.with(n, Attributes.of("axis", axis)));
                return;
            }
        }
        String shape = s.fresh(n, "shape");
        String flat = s.fresh(n, "2d");
        String rows = s.fresh(n, "rows");
        s.emit(Nodes.node("Shape", s.fresh(n, "shape"), List.of(x), List.of(shape)));
        s.emit(Nodes.node("Flatten", s.fresh(n, "flatten"), List.of(x), List.of(flat), Attributes.of("axis", axis)));
        NodeProto onRows = n.toBuilder()
                .clearInput()
                .addInput(flat)
                .clearOutput()
                .addOutput(rows)
                .build();
        s.emit(Nodes.with(onRows, Attributes.of("axis", -1L)));
        s.emit(Nodes.node("Reshape", s.fresh(n, "reshape"), List.of(rows, shape), List.of(n.getOutput(0))));
    }
}
