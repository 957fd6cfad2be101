package io.quantserve.testing;

import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.TensorProtos;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.OperatorSetIdProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorShapeProto;
import io.quantserve.engine.onnx.proto.Onnx.TypeProto;
import io.quantserve.engine.onnx.proto.Onnx.ValueInfoProto;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.util.List;
import java.util.Random;

/** Builds small ONNX models in test code. Dimensions ≤ 0 are written as symbolic ({@code N}). */
public final class TinyModel {
    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("tiny");
    private long opset = 13;
    private int nodes;

    public static TinyModel create() {
        return new TinyModel();
    }

    public TinyModel opset(long v) {
        opset = v;
        return this;
    }

    public TinyModel input(String name, DataType type, long... dims) {
        graph.addInput(valueInfo(name, type, dims));
        return this;
    }

    public TinyModel output(String name, DataType type, long... dims) {
        graph.addOutput(valueInfo(name, type, dims));
        return this;
    }

    public TinyModel initializer(String name, Tensor t) {
        graph.addInitializer(TensorProtos.fromTensor(name, t));
        return this;
    }

    public TinyModel node(String op, List<String> in, List<String> out, AttributeProto... attrs) {
        return namedNode(op + "_" + nodes, op, in, out, attrs);
    }

    public TinyModel namedNode(String name, String op, List<String> in, List<String> out, AttributeProto... attrs) {
        nodes++;
        graph.addNode(NodeProto.newBuilder()
                .setName(name)
                .setOpType(op)
                .addAllInput(in)
                .addAllOutput(out)
                .addAllAttribute(List.of(attrs)));
        return this;
    }

    public ModelProto proto() {
        return ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName("quantserve-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph)
                .build();
    }

    public OnnxModel build() {
        return OnnxModel.inMemory(proto());
    }

    private static ValueInfoProto valueInfo(String name, DataType type, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(
                    d > 0
                            ? TensorShapeProto.Dimension.newBuilder().setDimValue(d)
                            : TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder()
                                .setElemType(type.onnxCode())
                                .setShape(shape)))
                .build();
    }

    /** Seeded uniform floats in [lo, hi). */
    public static Tensor random(long seed, float lo, float hi, long... shape) {
        Random r = new Random(seed);
        float[] v = new float[Math.toIntExact(Tensor.elementCount(shape))];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * r.nextFloat();
        return Tensor.ofFloats(shape, v);
    }
}
