package io.quantserve.engine.config;

import io.quantserve.engine.layers.LayerFinder;
import io.quantserve.engine.layers.LayerScan;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.TensorProtos;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.OperatorSetIdProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorShapeProto;
import io.quantserve.engine.onnx.proto.Onnx.TypeProto;
import io.quantserve.engine.onnx.proto.Onnx.ValueInfoProto;
import io.quantserve.engine.tensor.Tensor;
import java.util.List;

/**
 * A tiny model with one node of each kind the config cares about, in this graph order: {@code conv1} (Conv),
 * {@code pool1} (AveragePool), {@code flatten}, {@code fc1} (Gemm), {@code proj} (MatMul with a weight),
 * {@code transpose}, {@code attn} (activation x activation MatMul, refused by the layer rules).
 */
final class ConfigTestModels {
    static final List<String> QUANTIZABLE = List.of("conv1", "pool1", "fc1", "proj");

    private ConfigTestModels() {}

    static ModelProto tinyModel() {
        GraphProto g = GraphProto.newBuilder()
                .setName("tiny")
                .addInput(value("x", 1, 3, 8, 8))
                .addOutput(value("y", 1, 1))
                .addInitializer(weight("w1", 4, 3, 3, 3))
                .addInitializer(weight("b1", 4))
                .addInitializer(weight("w2", 64, 10))
                .addInitializer(weight("b2", 10))
                .addInitializer(weight("w3", 10, 6))
                .addNode(node("Conv", "conv1", List.of("x", "w1", "b1"), "c1")
                        .addAttribute(Attributes.ofInts("pads", 1, 1, 1, 1)))
                .addNode(node("AveragePool", "pool1", List.of("c1"), "p1")
                        .addAttribute(Attributes.ofInts("kernel_shape", 2, 2))
                        .addAttribute(Attributes.ofInts("strides", 2, 2)))
                .addNode(node("Flatten", "flatten", List.of("p1"), "f"))
                .addNode(node("Gemm", "fc1", List.of("f", "w2", "b2"), "g"))
                .addNode(node("MatMul", "proj", List.of("g", "w3"), "m"))
                .addNode(node("Transpose", "transpose", List.of("m"), "mt"))
                .addNode(node("MatMul", "attn", List.of("m", "mt"), "y"))
                .build();
        return ModelProto.newBuilder()
                .setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17))
                .setGraph(g)
                .build();
    }

    static LayerScan tinyScan() {
        return LayerFinder.scan(tinyModel());
    }

    private static NodeProto.Builder node(String op, String name, List<String> inputs, String output) {
        return NodeProto.newBuilder()
                .setOpType(op)
                .setName(name)
                .addAllInput(inputs)
                .addOutput(output);
    }

    private static TensorProto weight(String name, long... shape) {
        float[] values = new float[Math.toIntExact(Tensor.elementCount(shape))];
        for (int i = 0; i < values.length; i++) values[i] = (i % 7 - 3) * 0.1f;
        return TensorProtos.fromTensor(name, Tensor.ofFloats(shape, values));
    }

    private static ValueInfoProto value(String name, long... shape) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : shape) s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(
                                TypeProto.Tensor.newBuilder().setElemType(1).setShape(s)))
                .build();
    }
}
