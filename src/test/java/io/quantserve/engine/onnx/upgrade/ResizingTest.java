package io.quantserve.engine.onnx.upgrade;

import static io.quantserve.engine.onnx.upgrade.TinyModel.FLOAT;
import static io.quantserve.engine.onnx.upgrade.TinyModel.floatInitializer;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Upsample and Resize-10 keep their opset-10 sampling grid (asymmetric, integer part when growing, rounded up
 * when shrinking) as Resize-13. The scales are non-integer on purpose so any other grid gives other values.
 */
class ResizingTest {
    private static final float[] GROW = {1f, 1f, 1.5f, 2.5f};

    private static ModelProto resize10(String mode, float[] scales) {
        return TinyModel.opset(10)
                .input("x", FLOAT, 1, 2, 4, 6)
                .initializer("scales", Tensor.ofFloats(new long[] {4}, scales))
                .output("y", FLOAT)
                .node("Resize", List.of("x", "scales"), List.of("y"), Attributes.of("mode", mode))
                .build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nearest", "linear"})
    void upsample9BecomesResizeOnTheAsymmetricGrid(String mode) {
        ModelProto m = TinyModel.opset(9)
                .input("x", FLOAT, 1, 2, 4, 6)
                .initializer("scales", Tensor.ofFloats(new long[] {4}, GROW))
                .output("y", FLOAT)
                .node("Upsample", List.of("x", "scales"), List.of("y"), Attributes.of("mode", mode))
                .build();
        ModelProto up = upgradeAndCompare(m, Map.of("x", randomFloats(31, 1, 2, 4, 6)), 1e-6);

        assertThat(up.getGraph().getNodeList()).noneMatch(n -> n.getOpType().equals("Upsample"));
        NodeProto resize = single(up, "Resize");
        assertThat(resize.getName()).isEqualTo("upsample_0");
        assertThat(resize.getInputList()).containsExactly("x", "", "scales");
        assertThat(Attributes.getString(resize, "mode", "")).isEqualTo(mode);
        assertThat(Attributes.getString(resize, "coordinate_transformation_mode", ""))
                .isEqualTo("asymmetric");
        assertThat(Attributes.find(resize, "nearest_mode").map(a -> a.getS().toStringUtf8()))
                .isEqualTo(mode.equals("nearest") ? java.util.Optional.of("floor") : java.util.Optional.empty());
    }

    @Test
    void upsample7ScalesAttributeBecomesAnInitializer() {
        AttributeProto scales = AttributeProto.newBuilder()
                .setName("scales")
                .setType(AttributeProto.AttributeType.FLOATS)
                .addAllFloats(List.of(1f, 1f, 2f, 3f))
                .build();
        ModelProto m = TinyModel.opset(8)
                .input("x", FLOAT, 1, 1, 2, 3)
                .output("y", FLOAT)
                .node("Upsample", List.of("x"), List.of("y"), scales)
                .build();
        ModelProto up = upgradeAndCompare(m, Map.of("x", randomFloats(32, 1, 1, 2, 3)), 0);

        NodeProto resize = single(up, "Resize");
        assertThat(resize.getInputList()).containsExactly("x", "", "upsample_0_scales");
        assertThat(floatInitializer(up, "upsample_0_scales")).containsExactly(1f, 1f, 2f, 3f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nearest", "linear"})
    void resize10GrowingKeepsItsGrid(String mode) {
        ModelProto up = upgradeAndCompare(resize10(mode, GROW), Map.of("x", randomFloats(33, 1, 2, 4, 6)), 1e-6);

        NodeProto resize = single(up, "Resize");
        assertThat(resize.getInputList()).containsExactly("x", "", "scales");
        assertThat(Attributes.getString(resize, "coordinate_transformation_mode", ""))
                .isEqualTo("asymmetric");
        if (mode.equals("nearest")) {
            assertThat(Attributes.getString(resize, "nearest_mode", "")).isEqualTo("floor");
        }
    }

    @Test
    void resize10ShrinkingNearestRoundsUp() {
        ModelProto up = upgradeAndCompare(
                resize10("nearest", new float[] {1f, 1f, 0.6f, 0.45f}), Map.of("x", randomFloats(34, 1, 2, 4, 6)), 0);

        assertThat(Attributes.getString(single(up, "Resize"), "nearest_mode", ""))
                .isEqualTo("ceil");
    }

    @Test
    void resize10GrowingOneAxisAndShrinkingAnotherBecomesTwoResizes() {
        ModelProto up = upgradeAndCompare(
                resize10("nearest", new float[] {1f, 1f, 1.75f, 0.6f}), Map.of("x", randomFloats(35, 1, 2, 4, 6)), 0);

        List<NodeProto> resizes = up.getGraph().getNodeList();
        assertThat(resizes).extracting(NodeProto::getOpType).containsExactly("Resize", "Resize");
        assertThat(Attributes.getString(resizes.get(0), "nearest_mode", "")).isEqualTo("floor");
        assertThat(Attributes.getString(resizes.get(1), "nearest_mode", "")).isEqualTo("ceil");
        assertThat(resizes.get(1).getInputList().getFirst())
                .isEqualTo(resizes.get(0).getOutput(0));
        assertThat(resizes.get(1).getOutputList()).containsExactly("y");
        assertThat(floatInitializer(up, resizes.get(0).getInput(2))).containsExactly(1f, 1f, 1.75f, 1f);
        assertThat(floatInitializer(up, resizes.get(1).getInput(2))).containsExactly(1f, 1f, 1f, 0.6f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1,1,1.5,2.5", "1,1,0.6,0.45", "1,1,1.75,0.6"})
    void resize10NearestWithRunTimeScalesGrowsThenShrinks(String scaleList) {
        ModelProto m = TinyModel.opset(10)
                .input("x", FLOAT, 1, 2, 4, 6)
                .input("s", FLOAT, 4)
                .output("y", FLOAT)
                .node("Resize", List.of("x", "s"), List.of("y"))
                .build();
        String[] parts = scaleList.split(",");
        float[] scales = new float[parts.length];
        for (int i = 0; i < parts.length; i++) scales[i] = Float.parseFloat(parts[i]);
        ModelProto up = upgradeAndCompare(
                m, Map.of("x", randomFloats(36, 1, 2, 4, 6), "s", Tensor.ofFloats(new long[] {4}, scales)), 0);

        assertThat(up.getGraph().getNodeList())
                .extracting(NodeProto::getOpType)
                .containsExactly("Max", "Min", "Resize", "Resize");
        List<NodeProto> nodes = up.getGraph().getNodeList();
        assertThat(nodes.get(0).getInputList()).containsExactly("s", "resize_0_one");
        assertThat(nodes.get(2).getInput(2)).isEqualTo(nodes.get(0).getOutput(0));
        assertThat(nodes.get(3).getInput(2)).isEqualTo(nodes.get(1).getOutput(0));
        assertThat(Attributes.getString(nodes.get(2), "nearest_mode", "")).isEqualTo("floor");
        assertThat(Attributes.getString(nodes.get(3), "nearest_mode", "")).isEqualTo("ceil");
    }
}
