package io.quantserve.engine.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.TensorProtos;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.OperatorSetIdProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorShapeProto;
import io.quantserve.engine.onnx.proto.Onnx.TypeProto;
import io.quantserve.engine.onnx.proto.Onnx.ValueInfoProto;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.LibOnnxCorpus;
import java.util.List;
import java.util.Map;

/** Builds tiny ONNX graphs in code and runs them in ONNX Runtime. */
final class TestGraphs {
    /** No graph optimisation and one thread, so two equivalent graphs run the very same kernels. */
    static final SessionSettings EXACT = new SessionSettings(1, false, true);

    private TestGraphs() {}

    static ValueInfoProto value(String name, TensorProto.DataType type, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder()
                                .setElemType(type.getNumber())
                                .setShape(shape)))
                .build();
    }

    static ValueInfoProto floats(String name, long... dims) {
        return value(name, TensorProto.DataType.FLOAT, dims);
    }

    static NodeProto node(String op, String name, List<String> in, List<String> out, AttributeProto... attrs) {
        return NodeProto.newBuilder()
                .setOpType(op)
                .setName(name)
                .addAllInput(in)
                .addAllOutput(out)
                .addAllAttribute(List.of(attrs))
                .build();
    }

    static NodeProto node(String domain, String op, String name, List<String> in, List<String> out) {
        return node(op, name, in, out).toBuilder().setDomain(domain).build();
    }

    /** A {@code Constant} node with a tensor {@code value}. */
    static NodeProto constant(String name, String out, TensorProto value) {
        return node("Constant", name, List.of(), List.of(out), Attributes.of("value", value));
    }

    static NodeProto constant(String name, String out, AttributeProto value) {
        return node("Constant", name, List.of(), List.of(out), value);
    }

    static TensorProto tensor(String name, long[] dims, float... values) {
        return TensorProtos.fromTensor(name, Tensor.ofFloats(dims, values));
    }

    /** A tensor of any element type from its raw little-endian bytes (each int is one byte). */
    static TensorProto raw(String name, TensorProto.DataType type, long[] dims, int... bytes) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
        for (long d : dims) b.addDims(d);
        byte[] data = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) data[i] = (byte) bytes[i];
        return b.setRawData(ByteString.copyFrom(data)).build();
    }

    static AttributeProto graphAttribute(String name, GraphProto g) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.GRAPH)
                .setG(g)
                .build();
    }

    static AttributeProto floatsAttribute(String name, float... values) {
        AttributeProto.Builder b =
                AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS);
        for (float v : values) b.addFloats(v);
        return b.build();
    }

    static AttributeProto stringsAttribute(String name, String... values) {
        AttributeProto.Builder b =
                AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRINGS);
        for (String v : values) b.addStrings(ByteString.copyFromUtf8(v));
        return b.build();
    }

    static ModelProto model(GraphProto g, long irVersion, long opset) {
        return ModelProto.newBuilder()
                .setIrVersion(irVersion)
                .setProducerName("quantserve-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(g)
                .build();
    }

    static ModelProto model(GraphProto g) {
        return model(g, 8, 13);
    }

    static OnnxModel onnx(GraphProto g) {
        return OnnxModel.inMemory(model(g));
    }

    static Map<String, Tensor> run(ModelProto m, Map<String, Tensor> feeds) {
        try (InferenceSession s = InferenceSession.open(
                m.toByteArray(), "test graph " + m.getGraph().getName(), EXACT)) {
            return s.run(feeds);
        }
    }

    /** Asserts that ONNX Runtime computes bit-identical outputs for both models on {@code feeds}. */
    static void assertSameOutputs(ModelProto before, ModelProto after, Map<String, Tensor> feeds) {
        Map<String, Tensor> expected = run(before, feeds);
        assertThat(expected).isNotEmpty();
        assertThat(LibOnnxCorpus.difference(expected, run(after, feeds))).isEmpty();
    }
}
