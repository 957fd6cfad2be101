package io.quantserve.engine.inspect;

import static io.quantserve.engine.inspect.TestGraphs.floats;
import static io.quantserve.engine.inspect.TestGraphs.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.inspect.ModelInspection.LayerDescription;
import io.quantserve.engine.inspect.ModelInspection.ValueDescription;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorShapeProto;
import io.quantserve.engine.onnx.proto.Onnx.TypeProto;
import io.quantserve.engine.onnx.proto.Onnx.ValueInfoProto;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ModelInspectorTest {
    /**
     * Layer counts per op type, counted by hand from the graphs: PP-OCRv3 rec has its Conv and MatMul weights in
     * Constant nodes (9 MatMul with a 2-D weight: qkv, proj, fc1, fc2 of two SVTR blocks and the CTC head; 4
     * attention MatMul of two activations); MiniLM has 6 layers × (Q, K, V, output, 2 FFN) = 36 weight MatMul and
     * 6 × 2 attention MatMul of two activations.
     */
    static Stream<Arguments> realModels() {
        return Stream.of(
                Arguments.of(
                        RealModel.MNIST_CNN,
                        Map.of("Conv", 2, "Gemm", 2),
                        0,
                        "moved 1 Constant node into initializers (main graph: 1)"),
                Arguments.of(RealModel.MNIST_EXTERNAL_DATA, Map.of("Conv", 1, "Gemm", 1), 0, null),
                Arguments.of(
                        RealModel.FASHION_MNIST,
                        Map.of("Conv", 3, "Gemm", 2),
                        0,
                        "named 13 unnamed nodes {op_type}_{index}: Conv_0, Relu_0, Conv_1, Relu_1, MaxPool_0 and 8"
                                + " more"),
                Arguments.of(
                        RealModel.ULTRAFACE,
                        Map.of("Conv", 52),
                        0,
                        "removed 244 initializers from the graph inputs (IR < 4 style; weights are constants for"
                                + " quantization): base_net.0.0.weight,"),
                Arguments.of(RealModel.YOLOX_NANO, Map.of("Conv", 113), 0, null),
                Arguments.of(
                        RealModel.PP_OCR_V3_REC,
                        Map.of("Conv", 36, "MatMul", 9, "AveragePool", 1),
                        4,
                        "moved 377 Constant nodes into initializers (main graph: 377); 45 of them hold float weights"),
                Arguments.of(
                        RealModel.PP_OCR_V3_DET,
                        Map.of("Conv", 72, "ConvTranspose", 2),
                        0,
                        "moved 398 Constant nodes into initializers (main graph: 398); 74 of them hold float weights"),
                Arguments.of(
                        RealModel.PP_OCR_CLS,
                        Map.of("Conv", 53, "MatMul", 1),
                        0,
                        "moved 308 Constant nodes into initializers (main graph: 308); 54 of them hold float weights"),
                Arguments.of(
                        RealModel.MINILM,
                        Map.of("MatMul", 36),
                        12,
                        "moved 146 Constant nodes into initializers (main graph: 146)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("realModels")
    void realModelsShowTheirLayersAndProblems(
            RealModel which, Map<String, Integer> layers, int activationMatMuls, String problem) {
        ModelInspection inspection = ModelInspector.inspect(ModelIo.load(which.file()));

        Map<String, Integer> byType = inspection.quantizableLayers().stream()
                .collect(Collectors.groupingBy(LayerDescription::opType, TreeMap::new, Collectors.summingInt(l -> 1)));
        assertThat(byType).isEqualTo(new TreeMap<>(layers));
        assertThat(inspection.notQuantizable()).hasSize(activationMatMuls).allSatisfy(s -> {
            assertThat(s.opType()).isEqualTo("MatMul");
            assertThat(s.reason()).isEqualTo("activation x activation MatMul stays in float");
        });
        assertThat(inspection.refusals()).isEmpty();
        if (problem == null) {
            assertThat(inspection.problems()).isEmpty();
        } else {
            assertThat(inspection.problems()).anySatisfy(p -> assertThat(p).startsWith(problem));
        }
        assertThat(inspection.quantizableLayers())
                .filteredOn(l -> !l.opType().equals("AveragePool"))
                .allSatisfy(l -> assertThat(l.weightShape()).isNotEmpty());
        assertThat(inspection.quantizableLayers())
                .allSatisfy(l -> assertThat(l.scope()).isEmpty());
    }

    @Test
    void inputsOutputsAndHeaderFieldsOfRealModels() {
        ModelInspection face = ModelInspector.inspect(ModelIo.load(RealModel.ULTRAFACE.file()));
        assertThat(face.inputs())
                .containsExactly(new ValueDescription("input", "float32", List.of("1", "3", "240", "320")));
        assertThat(face.outputs())
                .containsExactly(
                        new ValueDescription("scores", "float32", List.of("1", "4420", "2")),
                        new ValueDescription("boxes", "float32", List.of("1", "4420", "4")));
        assertThat(face.opset()).isEqualTo(9);
        assertThat(face.irVersion()).isEqualTo(4);
        assertThat(face.producer()).isEqualTo("pytorch 1.2");
        assertThat(face.nodeCount()).isEqualTo(242);
        assertThat(face.quantizableLayers().getFirst())
                .isEqualTo(new LayerDescription("Conv_0", "Conv", "", List.of(16L, 3L, 3L, 3L)));

        ModelInspection rec = ModelInspector.inspect(ModelIo.load(RealModel.PP_OCR_V3_REC.file()));
        // Paddle writes unknown dimensions as -1 or leaves them unset: both read "?".
        assertThat(rec.inputs()).containsExactly(new ValueDescription("x", "float32", List.of("?", "3", "?", "?")));
        assertThat(rec.producer()).isEqualTo("PaddlePaddle");
        assertThat(rec.opset()).isEqualTo(12);

        ModelInspection minilm = ModelInspector.inspect(ModelIo.load(RealModel.MINILM.file()));
        assertThat(minilm.inputs()).extracting(ValueDescription::dtype).containsExactly("int64", "int64", "int64");
        assertThat(minilm.inputs().getFirst().shape()).containsExactly("batch_size", "sequence_length");
    }

    @Test
    void anAlreadyQuantizedModelIsReportedNotThrown() {
        GraphProto g = GraphProto.newBuilder()
                .setName("qdq")
                .addInput(floats("x", 1, 4))
                .addOutput(floats("y", 1, 4))
                .addNode(node("QuantizeLinear", "", List.of("x", "s", "zp"), List.of("xq")))
                .addNode(node("DequantizeLinear", "", List.of("xq", "s", "zp"), List.of("y")))
                .build();

        ModelInspection inspection = ModelInspector.inspect(TestGraphs.onnx(g));

        assertThat(inspection.problems())
                .containsExactly(
                        "named 2 unnamed nodes {op_type}_{index}: QuantizeLinear_0, DequantizeLinear_0",
                        "already quantized: found QuantizeLinear node 'QuantizeLinear_0' (and 1 more quantization"
                                + " nodes). QuantServe quantizes float models: give it the original float32 model.");
        assertThat(inspection.refusals()).containsExactly(inspection.problems().get(1));
        assertThat(inspection.nodeCount()).isEqualTo(2);
    }

    @Test
    void nonTensorValuesAndSymbolicDimensionsAreSpelledOut() {
        TypeProto floatTensor = TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1))
                .build();
        ValueInfoProto seq = ValueInfoProto.newBuilder()
                .setName("s")
                .setType(TypeProto.newBuilder()
                        .setSequenceType(TypeProto.Sequence.newBuilder().setElemType(floatTensor)))
                .build();
        ValueInfoProto symbolic = ValueInfoProto.newBuilder()
                .setName("x")
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder()
                                .setElemType(8)
                                .setShape(TensorShapeProto.newBuilder()
                                        .addDim(TensorShapeProto.Dimension.newBuilder()
                                                .setDimParam("n"))
                                        .addDim(TensorShapeProto.Dimension.newBuilder())
                                        .addDim(TensorShapeProto.Dimension.newBuilder()
                                                .setDimValue(5)))))
                .build();
        GraphProto g = GraphProto.newBuilder()
                .setName("types")
                .addInput(symbolic)
                .addInput(seq)
                .addOutput(floats("y", 1))
                .addNode(node("SequenceAt", "at", List.of("s", "i"), List.of("y")))
                .build();

        ModelInspection inspection = ModelInspector.inspect(OnnxModel.inMemory(TestGraphs.model(g)));

        assertThat(inspection.inputs())
                .containsExactly(
                        new ValueDescription("x", "string", List.of("n", "?", "5")),
                        new ValueDescription("s", "sequence<float32>", List.of()));
    }

    /** The record serialises with a plain Jackson mapper, field names as the record components. */
    @Test
    void inspectionSerialisesToJson() {
        ModelInspection inspection = ModelInspector.inspect(ModelIo.load(RealModel.PP_OCR_CLS.file()));

        JsonNode json = JsonMapper.builder().build().valueToTree(inspection);

        assertThat(json.get("opset").asLong()).isEqualTo(11);
        assertThat(json.get("inputs").get(0).get("shape").toString()).isEqualTo("[\"?\",\"3\",\"?\",\"?\"]");
        assertThat(json.get("quantizableLayers")).hasSize(54);
        assertThat(json.get("quantizableLayers").get(0).get("weightShape").toString())
                .isEqualTo("[8,3,3,3]");
        assertThat(json.get("notQuantizable")).isEmpty();
        assertThat(json.get("problems")).hasSize(1);
        assertThat(json.get("refusals")).isEmpty();
    }
}
