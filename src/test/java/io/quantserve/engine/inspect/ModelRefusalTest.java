package io.quantserve.engine.inspect;

import static io.quantserve.engine.inspect.TestGraphs.constant;
import static io.quantserve.engine.inspect.TestGraphs.floats;
import static io.quantserve.engine.inspect.TestGraphs.graphAttribute;
import static io.quantserve.engine.inspect.TestGraphs.node;
import static io.quantserve.engine.inspect.TestGraphs.raw;
import static io.quantserve.engine.inspect.TestGraphs.tensor;
import static io.quantserve.engine.inspect.TestGraphs.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.OperatorSetIdProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Models the engine refuses: already quantized, float16, opset outside 9..21. {@link ModelNormalizer#normalize}
 * throws with a message naming the evidence; {@link ModelInspector#inspect} reports the same sentence instead.
 */
class ModelRefusalTest {
    private static final TensorProto.DataType F32 = TensorProto.DataType.FLOAT;

    static Stream<Arguments> refusedModels() {
        return Stream.of(
                Arguments.of(
                        "QDQ pair",
                        singleOps(
                                node("QuantizeLinear", "q", List.of("x", "s", "zp"), List.of("xq")),
                                node("DequantizeLinear", "dq", List.of("xq", "s", "zp"), List.of("y"))),
                        "already quantized: found QuantizeLinear node 'q' (and 1 more quantization nodes). QuantServe"
                                + " quantizes float models: give it the original float32 model."),
                Arguments.of(
                        "QLinearConv",
                        singleOps(node("QLinearConv", "qconv", List.of("x"), List.of("y"))),
                        "already quantized: found QLinearConv node 'qconv'."),
                Arguments.of(
                        "contrib QLinearAdd",
                        singleOps(node("com.microsoft", "QLinearAdd", "qadd", List.of("x"), List.of("y"))),
                        "found QLinearAdd (com.microsoft) node 'qadd'."),
                Arguments.of(
                        "ConvInteger",
                        singleOps(node("ConvInteger", "ci", List.of("x"), List.of("y"))),
                        "found ConvInteger node 'ci'."),
                Arguments.of(
                        "MatMulInteger",
                        singleOps(node("MatMulInteger", "mi", List.of("x"), List.of("y"))),
                        "found MatMulInteger node 'mi'."),
                Arguments.of(
                        "DynamicQuantizeLinear",
                        singleOps(node("DynamicQuantizeLinear", "dql", List.of("x"), List.of("y", "s", "zp"))),
                        "found DynamicQuantizeLinear node 'dql'."),
                Arguments.of(
                        "MatMulIntegerToFloat",
                        singleOps(node("com.microsoft", "MatMulIntegerToFloat", "mitf", List.of("x"), List.of("y"))),
                        "found MatMulIntegerToFloat (com.microsoft) node 'mitf'."),
                Arguments.of(
                        "AMCT deploy",
                        singleOps(
                                node("AscendQuant", "aq", List.of("x"), List.of("xq")),
                                node("AscendDequant", "adq", List.of("xq"), List.of("y"))),
                        "found AscendQuant node 'aq' (and 1 more quantization nodes)."),
                Arguments.of("quantize node inside an If branch", quantizeInBranch(), "in choose/then_branch."),
                Arguments.of(
                        "int8 initializer cast into a Conv weight",
                        GraphProto.newBuilder()
                                .setName("int8-weight")
                                .addInput(floats("x", 1, 1, 2, 2))
                                .addOutput(floats("y", 1, 2, 2, 2))
                                .addInitializer(raw("w", TensorProto.DataType.INT8, new long[] {2, 1, 1, 1}, 3, -5))
                                .addNode(
                                        node("Cast", "to_float", List.of("w"), List.of("wf"), Attributes.of("to", (long)
                                                F32.getNumber())))
                                .addNode(node("Conv", "conv", List.of("x", "wf"), List.of("y")))
                                .build(),
                        "already quantized: Conv node 'conv' has an int8 weight 'w' (through to_float)."),
                Arguments.of(
                        "uint8 Constant scaled into a MatMul weight",
                        GraphProto.newBuilder()
                                .setName("uint8-weight")
                                .addInput(floats("x", 1, 2))
                                .addOutput(floats("y", 1, 1))
                                .addInitializer(tensor("scale_value", new long[0], 0.1f))
                                .addNode(constant(
                                        "wq_const",
                                        "wq",
                                        raw("wq", TensorProto.DataType.UINT8, new long[] {2, 1}, 7, 9)))
                                .addNode(node(
                                        "Cast", "to_float", List.of("wq"), List.of("wf"), Attributes.of("to", (long)
                                                F32.getNumber())))
                                .addNode(node("Mul", "scale", List.of("wf", "scale_value"), List.of("w")))
                                .addNode(node("MatMul", "mm", List.of("x", "w"), List.of("y")))
                                .build(),
                        "already quantized: MatMul node 'mm' has a uint8 weight 'wq' (through scale, to_float)."),
                Arguments.of(
                        "float16 input",
                        GraphProto.newBuilder()
                                .setName("fp16-input")
                                .addInput(value("x", TensorProto.DataType.FLOAT16, 1, 4))
                                .addOutput(value("y", TensorProto.DataType.FLOAT16, 1, 4))
                                .addNode(node("Relu", "relu", List.of("x"), List.of("y")))
                                .build(),
                        "float16 model: graph input 'x' is float16. QuantServe quantizes float32 models: convert it"
                                + " to float32 first."),
                Arguments.of(
                        "bfloat16 input",
                        GraphProto.newBuilder()
                                .setName("bf16-input")
                                .addInput(value("x", TensorProto.DataType.BFLOAT16, 1, 4))
                                .addOutput(value("y", TensorProto.DataType.BFLOAT16, 1, 4))
                                .addNode(node("Relu", "relu", List.of("x"), List.of("y")))
                                .build(),
                        "float16 model: graph input 'x' is bfloat16."),
                Arguments.of(
                        "float16 weight cast up for a Gemm",
                        GraphProto.newBuilder()
                                .setName("fp16-weight")
                                .addInput(floats("x", 1, 2))
                                .addOutput(floats("y", 1, 2))
                                .addInitializer(raw(
                                        "w", TensorProto.DataType.FLOAT16, new long[] {2, 2}, 0, 60, 0, 0, 0, 0, 0, 60))
                                .addNode(node("Cast", "up", List.of("w"), List.of("wf"), Attributes.of("to", (long)
                                        F32.getNumber())))
                                .addNode(node("Gemm", "fc", List.of("x", "wf"), List.of("y")))
                                .build(),
                        "float16 model: Gemm node 'fc' has a float16 weight 'w' (through up). QuantServe quantizes"
                                + " float32 models: convert it to float32 first."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedModels")
    void normalizeRefusesAndInspectReports(String what, GraphProto graph, String expected) {
        OnnxModel model = OnnxModel.inMemory(TestGraphs.model(graph));

        assertThatThrownBy(() -> ModelNormalizer.normalize(model))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(((InvalidModelException) e).code()).isEqualTo("invalid-model"));

        ModelInspection inspection = ModelInspector.inspect(model);
        assertThat(inspection.refusals()).singleElement().asString().contains(expected);
        assertThat(inspection.problems()).endsWith(inspection.refusals().getFirst());
    }

    @ParameterizedTest(name = "opset {0}")
    @ValueSource(longs = {1, 8, 22})
    void opsetsOutsideNineToTwentyOneAreRefused(long opset) {
        OnnxModel model = OnnxModel.inMemory(TestGraphs.model(relu(), 8, opset));
        assertThatThrownBy(() -> ModelNormalizer.normalize(model))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("unsupported opset: the model imports ai.onnx opset " + opset + ", QuantServe accepts"
                        + " opsets 9 to 21. Convert the model to an opset in that range first (e.g. with"
                        + " onnx.version_converter).");
        assertThat(ModelInspector.inspect(model).refusals())
                .singleElement()
                .asString()
                .contains("opset " + opset);
    }

    @Test
    void aModelWithoutAnAiOnnxOpsetIsRefused() {
        OnnxModel model = OnnxModel.inMemory(TestGraphs.model(relu()).toBuilder()
                .clearOpsetImport()
                .addOpsetImport(
                        OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(3))
                .build());
        assertThatThrownBy(() -> ModelNormalizer.normalize(model))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("unsupported opset: the model imports no ai.onnx opset, QuantServe needs one of opsets 9"
                        + " to 21.");
    }

    @ParameterizedTest(name = "opset {0}")
    @ValueSource(longs = {9, 13, 21})
    void opsetsNineToTwentyOneAreAccepted(long opset) {
        OnnxModel model = OnnxModel.inMemory(TestGraphs.model(relu(), 8, opset));
        assertThat(ModelNormalizer.normalize(model).changes()).isEmpty();
        assertThat(ModelInspector.inspect(model).refusals()).isEmpty();
    }

    private static GraphProto relu() {
        return GraphProto.newBuilder()
                .setName("relu")
                .addInput(floats("x", 1, 4))
                .addOutput(floats("y", 1, 4))
                .addNode(node("Relu", "relu", List.of("x"), List.of("y")))
                .build();
    }

    private static GraphProto singleOps(NodeProto... nodes) {
        return GraphProto.newBuilder()
                .setName("quantized")
                .addInput(floats("x", 1, 4))
                .addOutput(floats("y", 1, 4))
                .addAllNode(List.of(nodes))
                .build();
    }

    private static GraphProto quantizeInBranch() {
        GraphProto then = GraphProto.newBuilder()
                .setName("then")
                .addOutput(value("t_out", TensorProto.DataType.UINT8, 1, 4))
                .addNode(node("QuantizeLinear", "q", List.of("x", "s"), List.of("t_out")))
                .build();
        GraphProto otherwise = GraphProto.newBuilder()
                .setName("else")
                .addOutput(value("e_out", TensorProto.DataType.UINT8, 1, 4))
                .addNode(node("Cast", "c", List.of("x"), List.of("e_out")))
                .build();
        return GraphProto.newBuilder()
                .setName("branch")
                .addInput(value("cond", TensorProto.DataType.BOOL))
                .addInput(floats("x", 1, 4))
                .addOutput(value("y", TensorProto.DataType.UINT8, 1, 4))
                .addNode(node(
                        "If",
                        "choose",
                        List.of("cond"),
                        List.of("y"),
                        graphAttribute("then_branch", then),
                        graphAttribute("else_branch", otherwise)))
                .build();
    }
}
