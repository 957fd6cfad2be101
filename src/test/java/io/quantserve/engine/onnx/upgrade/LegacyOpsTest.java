package io.quantserve.engine.onnx.upgrade;

import static io.quantserve.engine.onnx.upgrade.TinyModel.FLOAT;
import static io.quantserve.engine.onnx.upgrade.TinyModel.INT64;
import static io.quantserve.engine.onnx.upgrade.TinyModel.floatInitializer;
import static io.quantserve.engine.onnx.upgrade.TinyModel.randomFloats;
import static io.quantserve.engine.onnx.upgrade.TinyModel.single;
import static io.quantserve.engine.onnx.upgrade.TinyModel.upgradeAndCompare;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.TensorProtos;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dropped, renamed and retyped attributes. Opsets below 7 cannot be loaded by ONNX Runtime, so there the
 * upgraded model is checked against values computed here. */
class LegacyOpsTest {
    @Test
    void dropout7RatioBecomesAnInputAndTheMaskKeepsItsFloatType() {
        ModelProto m = TinyModel.opset(9)
                .input("x", FLOAT, 3, 4)
                .output("y", FLOAT)
                .output("mask", FLOAT)
                .node("Dropout", List.of("x"), List.of("y", "mask"), Attributes.of("ratio", 0.3f))
                .build();
        ModelProto up = OpsetUpgrader.upgrade(m, 13);

        NodeProto dropout = single(up, "Dropout");
        assertThat(dropout.getInputList()).containsExactly("x", "dropout_0_ratio");
        assertThat(dropout.getAttributeCount()).isZero();
        assertThat(dropout.getOutputList()).containsExactly("y", "dropout_0_mask_bool");
        assertThat(floatInitializer(up, "dropout_0_ratio")).containsExactly(0.3f);
        NodeProto cast = single(up, "Cast");
        assertThat(cast.getInputList()).containsExactly("dropout_0_mask_bool");
        assertThat(cast.getOutputList()).containsExactly("mask");
        assertThat(Attributes.getInt(cast, "to", -1)).isEqualTo(FLOAT);

        // Inference passes the data through. The mask means "kept" from opset 12 on (all ones in inference);
        // ONNX Runtime's kernel for opsets 7-11 writes zeros there instead, so only the data output is compared.
        Tensor x = randomFloats(41, 3, 4);
        Map<String, Tensor> before = run(m, Map.of("x", x));
        Map<String, Tensor> after = run(up, Map.of("x", x));
        assertThat(after.get("y").toFloats()).containsExactly(before.get("y").toFloats());
        assertThat(after.get("y").toFloats()).containsExactly(x.toFloats());
        assertThat(after.get("mask").toFloats()).containsOnly(1f);
        assertThat(before.get("mask").toFloats()).containsOnly(0f);
    }

    @Test
    void dropout7WithoutMaskNeedsNoCast() {
        ModelProto m = TinyModel.opset(9)
                .input("x", FLOAT, 2, 2)
                .output("y", FLOAT)
                .node("Dropout", List.of("x"), List.of("y"))
                .build();
        ModelProto up = upgradeAndCompare(m, Map.of("x", randomFloats(42, 2, 2)), 0);

        assertThat(up.getGraph().getNodeList()).extracting(NodeProto::getOpType).containsExactly("Dropout");
        assertThat(single(up, "Dropout").getInputList()).containsExactly("x");
    }

    @Test
    void scatter9BecomesScatterElements() {
        ModelProto m = TinyModel.opset(10)
                .input("data", FLOAT, 3, 3)
                .initializer("idx", Tensor.ofLongs(new long[] {1, 2}, new long[] {2, 0}))
                .initializer("upd", Tensor.ofFloats(new long[] {1, 2}, new float[] {7f, 9f}))
                .output("y", FLOAT)
                .node("Scatter", List.of("data", "idx", "upd"), List.of("y"), Attributes.of("axis", 1L))
                .build();
        ModelProto up = upgradeAndCompare(m, Map.of("data", randomFloats(43, 3, 3)), 0);

        NodeProto scatter = single(up, "ScatterElements");
        assertThat(scatter.getInputList()).containsExactly("data", "idx", "upd");
        assertThat(Attributes.getInt(scatter, "axis", -1)).isEqualTo(1);
    }

    @Test
    void batchNormalization7LosesSpatialAndIsTest() {
        ModelProto m = TinyModel.opset(7)
                .input("x", FLOAT, 1, 2, 3, 3)
                .initializer("scale", Tensor.ofFloats(new long[] {2}, new float[] {1.5f, 0.5f}))
                .initializer("bias", Tensor.ofFloats(new long[] {2}, new float[] {0.1f, -0.2f}))
                .initializer("mean", Tensor.ofFloats(new long[] {2}, new float[] {0.3f, -0.4f}))
                .initializer("var", Tensor.ofFloats(new long[] {2}, new float[] {2f, 0.7f}))
                .output("y", FLOAT)
                .node(
                        "BatchNormalization",
                        List.of("x", "scale", "bias", "mean", "var"),
                        List.of("y"),
                        Attributes.of("spatial", 1L),
                        Attributes.of("epsilon", 1e-3f))
                .build();
        ModelProto up = upgradeAndCompare(m, Map.of("x", randomFloats(44, 1, 2, 3, 3)), 0);

        NodeProto bn = single(up, "BatchNormalization");
        assertThat(bn.getAttributeList()).extracting(AttributeProto::getName).containsExactly("epsilon");
    }

    @Test
    void batchNormalizationWithPerActivationStatisticsIsRefused() {
        ModelProto m = TinyModel.opset(8)
                .input("x", FLOAT, 2, 3)
                .output("y", FLOAT)
                .node(
                        "BatchNormalization",
                        List.of("x", "s", "b", "m", "v"),
                        List.of("y"),
                        Attributes.of("spatial", 0L))
                .build();

        assertThatThrownBy(() -> OpsetUpgrader.upgrade(m, 13))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("batchnormalization_0")
                .hasMessageContaining("spatial=0");
    }

    @Test
    void legacyBroadcastAlongAnAxisAppendsTrailingAxesToTheConstant() {
        ModelProto m = TinyModel.opset(6)
                .input("a", FLOAT, 2, 3, 4)
                .initializer("b", Tensor.ofFloats(new long[] {3}, new float[] {10f, 20f, 30f}))
                .output("y", FLOAT)
                .node("Add", List.of("a", "b"), List.of("y"), Attributes.of("broadcast", 1L), Attributes.of("axis", 1L))
                .build();

        ModelProto up = OpsetUpgrader.upgrade(m, 13);

        NodeProto add = single(up, "Add");
        assertThat(add.getAttributeCount()).isZero();
        assertThat(add.getInputList()).containsExactly("a", "add_0_aligned");
        TensorProto aligned = up.getGraph().getInitializerList().stream()
                .filter(t -> t.getName().equals("add_0_aligned"))
                .findFirst()
                .orElseThrow();
        assertThat(aligned.getDimsList()).containsExactly(3L, 1L);
        Tensor a = randomFloats(45, 2, 3, 4);
        float[] expected = a.toFloats();
        for (int i = 0; i < expected.length; i++) expected[i] += 10f * (1 + (i / 4) % 3);
        assertThat(runSingleOutput(up, Map.of("a", a))).containsExactly(expected);
    }

    @Test
    void legacyAttributesOfOpsetOneAreRewritten() {
        // Cast-1 named its type, Concat-1 defaulted its axis, Reshape-1 took the shape as an attribute and
        // every op of opset 1 could carry consumed_inputs.
        ModelProto m = TinyModel.opset(1)
                .input("x", INT64, 2, 3)
                .output("y", FLOAT)
                .node("Cast", List.of("x"), List.of("c"), Attributes.of("to", "FLOAT"))
                .node("Relu", List.of("c"), List.of("r"), Attributes.ofInts("consumed_inputs", 0))
                .node("Concat", List.of("r", "c"), List.of("k"))
                .node("Reshape", List.of("k"), List.of("y"), Attributes.ofInts("shape", 12))
                .build();

        ModelProto up = OpsetUpgrader.upgrade(m, 13);

        assertThat(Attributes.find(single(up, "Cast"), "to").map(AttributeProto::getI))
                .contains((long) FLOAT);
        assertThat(single(up, "Relu").getAttributeCount()).isZero();
        assertThat(Attributes.getInt(single(up, "Concat"), "axis", -1)).isEqualTo(1);
        NodeProto reshape = single(up, "Reshape");
        assertThat(reshape.getInputList()).containsExactly("k", "reshape_3_shape");
        assertThat(TinyModel.int64Initializer(up, "reshape_3_shape")).containsExactly(12);
        Tensor x = Tensor.ofLongs(new long[] {2, 3}, new long[] {-1, 2, 3, -4, 5, 6});
        assertThat(runSingleOutput(up, Map.of("x", x)))
                .containsExactly(0f, 2f, 3f, -1f, 2f, 3f, 0f, 5f, 6f, -4f, 5f, 6f);
    }

    @Test
    void imageScalerBecomesMulAndAdd() {
        AttributeProto bias = AttributeProto.newBuilder()
                .setName("bias")
                .setType(AttributeProto.AttributeType.FLOATS)
                .addAllFloats(List.of(1f, -2f))
                .build();
        ModelProto m = TinyModel.opset(8)
                .input("x", FLOAT, 1, 2, 1, 2)
                .output("y", FLOAT)
                .node("ImageScaler", List.of("x"), List.of("y"), bias, Attributes.of("scale", 0.5f))
                .build();

        ModelProto up = OpsetUpgrader.upgrade(m, 13);

        assertThat(up.getGraph().getNodeList()).extracting(NodeProto::getOpType).containsExactly("Mul", "Add");
        Tensor x = Tensor.ofFloats(new long[] {1, 2, 1, 2}, new float[] {2f, 4f, 6f, 8f});
        assertThat(runSingleOutput(up, Map.of("x", x))).containsExactly(2f, 3f, 1f, 2f);
        assertThat(TensorProtos.toTensor(
                                up.getGraph().getInitializerList().stream()
                                        .filter(t -> t.getName().equals("imagescaler_0_bias"))
                                        .findFirst()
                                        .orElseThrow(),
                                null)
                        .shape())
                .containsExactly(1, 2, 1, 1);
    }

    private static float[] runSingleOutput(ModelProto model, Map<String, Tensor> feeds) {
        return run(model, feeds).values().iterator().next().toFloats();
    }

    private static Map<String, Tensor> run(ModelProto model, Map<String, Tensor> feeds) {
        try (InferenceSession s =
                InferenceSession.open(model.toByteArray(), "test model", SessionSettings.unoptimized())) {
            return s.run(feeds);
        }
    }
}
