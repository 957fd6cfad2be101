package io.quantserve.engine.calibration.data;

import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.OperatorSetIdProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorShapeProto;
import io.quantserve.engine.onnx.proto.Onnx.TypeProto;
import io.quantserve.engine.onnx.proto.Onnx.ValueInfoProto;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.DataType;

/** Models built in code for the data tests. */
final class TinyModels {
    private TinyModels() {}

    /** {@code c = Add(a, b)} over float32 inputs of shape {@code [N, 3]} ({@code N} symbolic). */
    static InferenceSession addSession() {
        GraphProto graph = GraphProto.newBuilder()
                .setName("add")
                .addNode(NodeProto.newBuilder()
                        .setOpType("Add")
                        .setName("add")
                        .addInput("a")
                        .addInput("b")
                        .addOutput("c"))
                .addInput(value("a"))
                .addInput(value("b"))
                .addOutput(value("c"))
                .build();
        ModelProto model = ModelProto.newBuilder()
                .setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(graph)
                .build();
        return InferenceSession.open(model.toByteArray(), "add model", SessionSettings.defaults());
    }

    private static ValueInfoProto value(String name) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(3))
                .build();
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder()
                                .setElemType(DataType.FLOAT.onnxCode())
                                .setShape(shape)))
                .build();
    }
}
