package io.quantserve.engine.onnx.upgrade;

import static io.quantserve.engine.onnx.upgrade.TinyModel.FLOAT;
import static io.quantserve.engine.onnx.upgrade.TinyModel.INT64;
import static io.quantserve.engine.onnx.upgrade.TinyModel.floatInitializer;
import static io.quantserve.engine.onnx.upgrade.TinyModel.int64Initializer;
import static io.quantserve.engine.onnx.upgrade.TinyModel.randomFloats;
import static io.quantserve.engine.onnx.upgrade.TinyModel.single;
import static io.quantserve.engine.onnx.upgrade.TinyModel.upgradeAndCompare;
import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Attributes that became inputs: structure of the rewritten node, then exact equality in ONNX Runtime. */
class AttributeInputsTest {
    private static List<String> attributeNames(NodeProto n) {
        return n.getAttributeList().stream().map(AttributeProto::getName).toList();
    }

    @Test
    void clip6BoundsBecomeTypedScalarInputs() {
        ModelProto m = TinyModel.opset(10)
                .input("x", FLOAT, 2, 5)
                .output("y", FLOAT)
                .node("Clip", List.of("x"), List.of("y"), Attributes.of("min", -1f), Attributes.of("max", 1.5f))
                .build();
        ModelProto up = upgradeAndCompare(m, Map.of("x", randomFloats(1, 2, 5)), 0);

        NodeProto clip = single(up, "Clip");
        assertThat(clip.getInputList()).containsExactly("x", "clip_0_min", "clip_0_max");
        assertThat(clip.getAttributeCount()).isZero();
        assertThat(floatInitializer(up, "clip_0_min")).containsExactly(-1f);
        assertThat(floatInitializer(up, "clip_0_max")).containsExactly(1.5f);
        assertThat(up.getGraph().getInitializerList().stream()
                        .filter(t -> t.getName().equals("clip_0_min")))
                .allSatisfy(t -> assertThat(t.getDimsCount()).as("a scalar").isZero());
    }

    @Test
    void clip6WithOnlyAnUpperBoundLeavesTheLowerOneEmpty() {
        ModelProto m = TinyModel.opset(10)
                .input("x", FLOAT, 7)
                .output("y", FLOAT)
                .node("Clip", List.of("x"), List.of("y"), Attributes.of("max", 0.25f))
                .build();
        ModelProto up = upgradeAndCompare(m, Map.of("x", randomFloats(2, 7)), 0);

        assertThat(single(up, "Clip").getInputList()).containsExactly("x", "", "clip_0_max");
    }

    @Test
    void pad2PadsAndValueBecomeInputs() {
        ModelProto m = TinyModel.opset(10)
                .input("x", FLOAT, 2, 3)
                .output("y", FLOAT)
                .node(
                        "Pad",
                        List.of("x"),
                        List.of("y"),
                        Attributes.ofInts("pads", 1, 0, 0, 2),
                        Attributes.of("value", 0.5f))
                .build();
        ModelProto up = upgradeAndCompare(m, Map.of("x", randomFloats(3, 2, 3)), 0);

        NodeProto pad = single(up, "Pad");
        assertThat(pad.getInputList()).containsExactly("x", "pad_0_pads", "pad_0_value");
        assertThat(attributeNames(pad)).isEmpty();
        assertThat(int64Initializer(up, "pad_0_pads")).containsExactly(1, 0, 0, 2);
        assertThat(floatInitializer(up, "pad_0_value")).containsExactly(0.5f);
    }

    @Test
    void pad2ReflectKeepsItsModeAndNeedsNoValue() {
        ModelProto m = TinyModel.opset(10)
                .input("x", FLOAT, 3, 4)
                .output("y", FLOAT)
                .node(
                        "Pad",
                        List.of("x"),
                        List.of("y"),
                        Attributes.ofInts("pads", 0, 2, 1, 1),
                        Attributes.of("mode", "reflect"))
                .build();
        ModelProto up = upgradeAndCompare(m, Map.of("x", randomFloats(4, 3, 4)), 0);

        NodeProto pad = single(up, "Pad");
        assertThat(pad.getInputList()).containsExactly("x", "pad_0_pads");
        assertThat(Attributes.getString(pad, "mode", "")).isEqualTo("reflect");
    }

    @Test
    void opsAlreadyInInputFormAreLeftAsTheyAre() {
        ModelProto m = TinyModel.opset(11)
                .input("x", FLOAT, 2, 3)
                .initializer("pads", Tensor.ofLongs(new long[] {4}, new long[] {0, 1, 1, 0}))
                .initializer("lo", Tensor.ofFloats(new long[0], new float[] {-1f}))
                .initializer("starts", Tensor.ofLongs(new long[] {1}, new long[] {1}))
                .initializer("ends", Tensor.ofLongs(new long[] {1}, new long[] {3}))
                .output("y", FLOAT)
                .node("Pad", List.of("x", "pads"), List.of("p"), Attributes.of("mode", "edge"))
                .node("Clip", List.of("p", "lo"), List.of("c"))
                .node("Slice", List.of("c", "starts", "ends"), List.of("y"))
                .build();
        ModelProto up = upgradeAndCompare(m, Map.of("x", randomFloats(12, 2, 3)), 0);

        assertThat(up.getGraph().getNodeList()).isEqualTo(m.getGraph().getNodeList());
        assertThat(up.getGraph().getInitializerList()).isEqualTo(m.getGraph().getInitializerList());
    }

    @Test
    void slice1StartsEndsAxesBecomeInt64Inputs() {
        ModelProto m = TinyModel.opset(9)
                .input("x", FLOAT, 4, 5)
                .output("y", FLOAT)
                .node(
                        "Slice",
                        List.of("x"),
                        List.of("y"),
                        Attributes.ofInts("starts", 1, -4),
                        Attributes.ofInts("ends", Long.MAX_VALUE, 3),
                        Attributes.ofInts("axes", 0, 1))
                .build();
        ModelProto up = upgradeAndCompare(m, Map.of("x", randomFloats(5, 4, 5)), 0);

        NodeProto slice = single(up, "Slice");
        assertThat(slice.getInputList()).containsExactly("x", "slice_0_starts", "slice_0_ends", "slice_0_axes");
        assertThat(slice.getAttributeCount()).isZero();
        assertThat(int64Initializer(up, "slice_0_starts")).containsExactly(1, -4);
        assertThat(int64Initializer(up, "slice_0_ends")).containsExactly(Long.MAX_VALUE, 3);
        assertThat(int64Initializer(up, "slice_0_axes")).containsExactly(0, 1);
    }

    @Test
    void squeeze1AxesBecomeAnInput() {
        ModelProto m = TinyModel.opset(10)
                .input("x", FLOAT, 1, 3, 1, 2)
                .output("y", FLOAT)
                .node("Squeeze", List.of("x"), List.of("y"), Attributes.ofInts("axes", 0, 2))
                .build();
        ModelProto up = upgradeAndCompare(m, Map.of("x", randomFloats(6, 1, 3, 1, 2)), 0);

        NodeProto squeeze = single(up, "Squeeze");
        assertThat(squeeze.getInputList()).containsExactly("x", "squeeze_0_axes");
        assertThat(squeeze.getAttributeCount()).isZero();
        assertThat(int64Initializer(up, "squeeze_0_axes")).containsExactly(0, 2);
    }

    @Test
    void squeeze1WithoutAxesStaysWithoutAxes() {
        ModelProto m = TinyModel.opset(10)
                .input("x", FLOAT, 1, 3, 1)
                .output("y", FLOAT)
                .node("Squeeze", List.of("x"), List.of("y"))
                .build();
        ModelProto up = upgradeAndCompare(m, Map.of("x", randomFloats(7, 1, 3, 1)), 0);

        assertThat(single(up, "Squeeze").getInputList()).containsExactly("x");
        assertThat(up.getGraph().getInitializerCount()).isZero();
    }

    @Test
    void unsqueeze1AxesBecomeAnInput() {
        ModelProto m = TinyModel.opset(10)
                .input("x", FLOAT, 3, 2)
                .output("y", FLOAT)
                .node("Unsqueeze", List.of("x"), List.of("y"), Attributes.ofInts("axes", 0, 3))
                .build();
        ModelProto up = upgradeAndCompare(m, Map.of("x", randomFloats(8, 3, 2)), 0);

        NodeProto unsqueeze = single(up, "Unsqueeze");
        assertThat(unsqueeze.getInputList()).containsExactly("x", "unsqueeze_0_axes");
        assertThat(int64Initializer(up, "unsqueeze_0_axes")).containsExactly(0, 3);
    }

    @Test
    void split2SizesBecomeAnInput() {
        ModelProto m = TinyModel.opset(10)
                .input("x", FLOAT, 6, 2)
                .output("a", FLOAT)
                .output("b", FLOAT)
                .node(
                        "Split",
                        List.of("x"),
                        List.of("a", "b"),
                        Attributes.of("axis", 0L),
                        Attributes.ofInts("split", 2, 4))
                .build();
        ModelProto up = upgradeAndCompare(m, Map.of("x", randomFloats(9, 6, 2)), 0);

        NodeProto split = single(up, "Split");
        assertThat(split.getInputList()).containsExactly("x", "split_0_split");
        assertThat(split.getOutputList()).containsExactly("a", "b");
        assertThat(attributeNames(split)).containsExactly("axis");
        assertThat(int64Initializer(up, "split_0_split")).containsExactly(2, 4);
    }

    @Test
    void reduceSum1AxesBecomeAnInputAndKeepdimsStays() {
        ModelProto m = TinyModel.opset(10)
                .input("x", FLOAT, 2, 3, 4)
                .output("y", FLOAT)
                .node(
                        "ReduceSum",
                        List.of("x"),
                        List.of("y"),
                        Attributes.ofInts("axes", 1, -1),
                        Attributes.of("keepdims", 0L))
                .build();
        ModelProto up = upgradeAndCompare(m, Map.of("x", randomFloats(10, 2, 3, 4)), 1e-6);

        NodeProto reduce = single(up, "ReduceSum");
        assertThat(reduce.getInputList()).containsExactly("x", "reducesum_0_axes");
        assertThat(attributeNames(reduce)).containsExactly("keepdims");
        assertThat(int64Initializer(up, "reducesum_0_axes")).containsExactly(1, -1);
    }

    @Test
    void topK1KBecomesAOneElementInput() {
        ModelProto m = TinyModel.opset(9)
                .input("x", FLOAT, 3, 5)
                .output("values", FLOAT)
                .output("indices", INT64)
                .node("TopK", List.of("x"), List.of("values", "indices"), Attributes.of("k", 2L))
                .build();
        ModelProto up = upgradeAndCompare(m, Map.of("x", randomFloats(11, 3, 5)), 0);

        NodeProto topK = single(up, "TopK");
        assertThat(topK.getInputList()).containsExactly("x", "topk_0_k");
        assertThat(topK.getAttributeCount()).isZero();
        assertThat(int64Initializer(up, "topk_0_k")).containsExactly(2);
    }
}
