package io.quantserve.engine.onnx.upgrade;

import static io.quantserve.engine.onnx.upgrade.TinyModel.FLOAT;
import static io.quantserve.engine.onnx.upgrade.TinyModel.randomFloats;
import static io.quantserve.engine.onnx.upgrade.TinyModel.single;
import static io.quantserve.engine.onnx.upgrade.TinyModel.upgradeAndCompare;
import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Softmax/LogSoftmax/Hardmax changed meaning at 13 (2-D coercion → one axis). On a rank-3 input with axis=1
 * the two differ (a softmax over 12 values per row vs over 3), so only the Flatten/Reshape rewrite agrees.
 */
class SoftmaxAxisTest {
    @ParameterizedTest
    @ValueSource(strings = {"Softmax", "LogSoftmax", "Hardmax"})
    void axisOneOnRankThreeKeepsTheTwoDimensionalCoercion(String op) {
        ModelProto m = TinyModel.opset(10)
                .input("x", FLOAT, 2, 3, 4)
                .output("y", FLOAT)
                .node(op, List.of("x"), List.of("y"), Attributes.of("axis", 1L))
                .build();
        ModelProto up = upgradeAndCompare(m, Map.of("x", randomFloats(21, 2, 3, 4)), 1e-6);

        String prefix = op.toLowerCase() + "_0_";
        NodeProto shape = single(up, "Shape");
        NodeProto flatten = single(up, "Flatten");
        NodeProto softmax = single(up, op);
        NodeProto reshape = single(up, "Reshape");
        assertThat(shape.getInputList()).containsExactly("x");
        assertThat(flatten.getInputList()).containsExactly("x");
        assertThat(Attributes.getInt(flatten, "axis", -99)).isEqualTo(1);
        assertThat(softmax.getInputList()).containsExactly(prefix + "2d");
        assertThat(Attributes.getInt(softmax, "axis", -99)).isEqualTo(-1);
        assertThat(reshape.getInputList()).containsExactly(prefix + "rows", prefix + "shape");
        assertThat(reshape.getOutputList()).containsExactly("y");
        assertThat(up.getGraph().getNodeList().stream().map(NodeProto::getOpType))
                .containsExactly("Shape", "Flatten", op, "Reshape");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, -1})
    void lastAxisOfADeclaredRankNeedsNoReshape(long axis) {
        ModelProto m = TinyModel.opset(11)
                .input("x", FLOAT, 5, 4)
                .output("y", FLOAT)
                .node("Softmax", List.of("x"), List.of("y"), Attributes.of("axis", axis))
                .build();
        ModelProto up = upgradeAndCompare(m, Map.of("x", randomFloats(22, 5, 4)), 0);

        assertThat(up.getGraph().getNodeCount()).isEqualTo(1);
        assertThat(Attributes.getInt(single(up, "Softmax"), "axis", -99)).isEqualTo(axis);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void defaultAxisWithUnknownRankUsesTheExactRewrite(int rank) {
        // Nothing tells the input's rank: axis 1 may or may not be the last one, so the rewrite that is right
        // for any rank is used, and it is right for rank 2 and rank 3 alike.
        long[] dims = rank == 2 ? new long[] {3, 4} : new long[] {2, 3, 4};
        ModelProto m = TinyModel.opset(9)
                .inputOfUnknownShape("x", FLOAT)
                .output("y", FLOAT)
                .node("Relu", List.of("x"), List.of("r"))
                .node("Softmax", List.of("r"), List.of("y"))
                .build();
        ModelProto up = upgradeAndCompare(m, Map.of("x", randomFloats(23, dims)), 1e-6);

        assertThat(up.getGraph().getNodeList().stream().map(NodeProto::getOpType))
                .containsExactly("Relu", "Shape", "Flatten", "Softmax", "Reshape");
        assertThat(up.getGraph().getInitializerList().stream().map(TensorProto::getName))
                .isEmpty();
    }

    @Test
    void rankCarriedThroughTheGraphShowsTheAxisIsLast() {
        // Gemm fixes rank 2 and Relu keeps it, so LogSoftmax's default axis 1 is the last axis.
        ModelProto m = TinyModel.opset(10)
                .inputOfUnknownShape("x", FLOAT)
                .initializer("w", randomFloats(24, 4, 5))
                .initializer("c", randomFloats(26, 5))
                .output("y", FLOAT)
                .node("Gemm", List.of("x", "w", "c"), List.of("g"))
                .node("Relu", List.of("g"), List.of("r"))
                .node("LogSoftmax", List.of("r"), List.of("y"))
                .build();
        ModelProto up = upgradeAndCompare(m, Map.of("x", randomFloats(25, 3, 4)), 0);

        assertThat(up.getGraph().getNodeList().stream().map(NodeProto::getOpType))
                .containsExactly("Gemm", "Relu", "LogSoftmax");
        assertThat(Attributes.getInt(single(up, "LogSoftmax"), "axis", -99)).isEqualTo(1);
    }
}
