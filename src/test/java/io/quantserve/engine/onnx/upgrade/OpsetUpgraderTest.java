package io.quantserve.engine.onnx.upgrade;

import static io.quantserve.engine.onnx.upgrade.TinyModel.FLOAT;
import static io.quantserve.engine.onnx.upgrade.TinyModel.randomFloats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.OperatorSetIdProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The upgrader's contract: what is left alone, what is stamped, subgraphs, refusals, determinism. */
class OpsetUpgraderTest {
    private static ModelProto squeezeModel(int opset) {
        return TinyModel.opset(opset)
                .input("x", FLOAT, 1, 3)
                .output("y", FLOAT)
                .node("Squeeze", List.of("x"), List.of("y"), Attributes.ofInts("axes", 0))
                .build();
    }

    @ParameterizedTest
    @ValueSource(ints = {13, 17, 21})
    void modelsAtOrAboveTheTargetAreReturnedAsTheyAre(int opset) {
        ModelProto m = TinyModel.opset(opset)
                .input("x", FLOAT, 2)
                .output("y", FLOAT)
                .node("Relu", List.of("x"), List.of("y"))
                .build();

        assertThat(OpsetUpgrader.upgrade(m, 13)).isSameAs(m);
    }

    @Test
    void theOpsetImportIsStampedAndTheIrVersionRaisedOnlyWhenLower() {
        ModelProto ir4 = squeezeModel(9);
        assertThat(ir4.getIrVersion()).isEqualTo(4);
        ModelProto up = OpsetUpgrader.upgrade(ir4, 13);
        assertThat(up.getIrVersion()).isEqualTo(7);
        assertThat(up.getOpsetImportList())
                .containsExactly(OperatorSetIdProto.newBuilder()
                        .setDomain("")
                        .setVersion(13)
                        .build());

        ModelProto ir9 = squeezeModel(9).toBuilder().setIrVersion(9).build();
        assertThat(OpsetUpgrader.upgrade(ir9, 13).getIrVersion()).isEqualTo(9);
    }

    @Test
    void otherDomainsAndTheirImportsAreLeftAlone() {
        ModelProto m = squeezeModel(11).toBuilder()
                .addOpsetImport(
                        OperatorSetIdProto.newBuilder().setDomain("com.example").setVersion(3))
                .setGraph(squeezeModel(11).getGraph().toBuilder()
                        .addNode(NodeProto.newBuilder()
                                .setOpType("Squeeze")
                                .setDomain("com.example")
                                .addInput("y")
                                .addOutput("z")
                                .addAttribute(Attributes.ofInts("axes", 0))))
                .build();

        ModelProto up = OpsetUpgrader.upgrade(m, 13);

        assertThat(up.getOpsetImport(1)).isEqualTo(m.getOpsetImport(1));
        assertThat(up.getGraph().getNode(1)).isEqualTo(m.getGraph().getNode(1));
    }

    @Test
    void ifBranchesAreUpgradedWithNamesUniqueAcrossTheModel() {
        GraphProto thenBranch = GraphProto.newBuilder()
                .setName("then")
                .addNode(Nodes.node("Squeeze", "squeeze_0", List.of("x"), List.of("t"), Attributes.ofInts("axes", 0)))
                .addOutput(TinyModel.value("t", FLOAT, 3))
                .build();
        GraphProto elseBranch = GraphProto.newBuilder()
                .setName("else")
                .addNode(Nodes.node("Neg", "neg", List.of("x"), List.of("n")))
                .addNode(Nodes.node("Squeeze", "squeeze_1", List.of("n"), List.of("e"), Attributes.ofInts("axes", 0)))
                .addOutput(TinyModel.value("e", FLOAT, 3))
                .build();
        ModelProto m = TinyModel.opset(11)
                .input("x", FLOAT, 1, 3)
                .input("c", TensorProto.DataType.BOOL_VALUE)
                .output("y", FLOAT)
                .node(
                        "If",
                        List.of("c"),
                        List.of("y"),
                        graph("then_branch", thenBranch),
                        graph("else_branch", elseBranch))
                .build();

        ModelProto up = OpsetUpgrader.upgrade(m, 13);

        NodeProto ifNode = up.getGraph().getNode(0);
        GraphProto upThen = Attributes.find(ifNode, "then_branch").orElseThrow().getG();
        GraphProto upElse = Attributes.find(ifNode, "else_branch").orElseThrow().getG();
        assertThat(upThen.getNode(0).getInputList()).containsExactly("x", "squeeze_0_axes");
        assertThat(upThen.getInitializerList()).extracting(TensorProto::getName).containsExactly("squeeze_0_axes");
        assertThat(upElse.getNode(1).getInputList()).containsExactly("n", "squeeze_1_axes");
        Tensor x = randomFloats(51, 1, 3);
        for (boolean c : new boolean[] {true, false}) {
            Tensor cond = Tensor.ofBytes(DataType.BOOL, new long[0], ByteBuffer.wrap(new byte[] {(byte) (c ? 1 : 0)}));
            assertThat(UpgradeCheck.maxAbsDifference(m, up, Map.of("x", x, "c", cond)))
                    .as("branch %s", c)
                    .isZero();
        }
    }

    @Test
    void anUnknownOperatorIsRefusedNamingItAndListingTheKnownOnes() {
        ModelProto m = TinyModel.opset(10)
                .input("x", FLOAT, 2)
                .output("y", FLOAT)
                .node(Nodes.node("FancyNorm", "", List.of("x"), List.of("y")))
                .build();

        assertThatThrownBy(() -> OpsetUpgrader.upgrade(m, 13))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("node #0 (FancyNorm)")
                .hasMessageContaining("'FancyNorm' is not an ai.onnx operator")
                .hasMessageContaining("Conv, ConvInteger")
                .hasMessageContaining("Upsample");
    }

    @Test
    void scan8IsRefusedWithTheReason() {
        ModelProto m = TinyModel.opset(8)
                .input("x", FLOAT, 1, 2)
                .output("y", FLOAT)
                .node("Scan", List.of("", "x"), List.of("y"), graph("body", GraphProto.getDefaultInstance()))
                .build();

        assertThatThrownBy(() -> OpsetUpgrader.upgrade(m, 13))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("node 'scan_0' (Scan)")
                .hasMessageContaining("from opset 8 to 13")
                .hasMessageContaining("Scan-8");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 14})
    void targetsOutsideWhatTheUpgraderWritesAreAConfigurationError(int target) {
        assertThatThrownBy(() -> OpsetUpgrader.upgrade(squeezeModel(9), target))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("targetOpset must be between 1 and 13, got " + target);
    }

    @Test
    void theSameModelAlwaysGivesTheSameBytes() {
        ModelProto m = TinyModel.opset(9)
                .input("x", FLOAT, 2, 3, 4)
                .output("y", FLOAT)
                .node("Clip", List.of("x"), List.of("c"), Attributes.of("min", 0f))
                .node("Softmax", List.of("c"), List.of("s"))
                .node("Unsqueeze", List.of("s"), List.of("y"), Attributes.ofInts("axes", 0))
                .build();

        assertThat(OpsetUpgrader.upgrade(m, 13).toByteArray())
                .isEqualTo(OpsetUpgrader.upgrade(m, 13).toByteArray());
    }

    @Test
    void upgradingToAnIntermediateOpsetWritesThatOpsetsForms() {
        ModelProto m = TinyModel.opset(9)
                .input("x", FLOAT, 2, 3)
                .output("y", FLOAT)
                .node(
                        "Slice",
                        List.of("x"),
                        List.of("s"),
                        Attributes.ofInts("starts", 1),
                        Attributes.ofInts("ends", 3),
                        Attributes.ofInts("axes", 1))
                .node("Clip", List.of("s"), List.of("c"), Attributes.of("max", 1f))
                .node("Squeeze", List.of("c"), List.of("y"), Attributes.ofInts("axes", 0))
                .build();

        ModelProto up = OpsetUpgrader.upgrade(m, 11);

        assertThat(OnnxModel.opset(up)).isEqualTo(11);
        assertThat(up.getIrVersion()).isEqualTo(6);
        assertThat(up.getGraph().getNode(0).getInputCount())
                .as("Slice-10 inputs")
                .isEqualTo(4);
        assertThat(up.getGraph().getNode(1).getInputList()).as("Clip-11 inputs").containsExactly("s", "", "clip_1_max");
        assertThat(up.getGraph().getNode(2).getAttributeList())
                .as("Squeeze-11 keeps its axes attribute")
                .extracting(AttributeProto::getName)
                .containsExactly("axes");
        Tensor x = Tensor.ofFloats(new long[] {1, 3}, new float[] {0.5f, 2f, -1f});
        ModelProto one = m.toBuilder()
                .setGraph(m.getGraph().toBuilder().setInput(0, TinyModel.value("x", FLOAT, 1, 3)))
                .build();
        assertThat(UpgradeCheck.maxAbsDifference(one, OpsetUpgrader.upgrade(one, 11), Map.of("x", x)))
                .isZero();
    }

    private static AttributeProto graph(String name, GraphProto g) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.GRAPH)
                .setG(g)
                .build();
    }
}
