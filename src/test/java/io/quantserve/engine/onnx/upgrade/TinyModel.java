package io.quantserve.engine.onnx.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.quantserve.engine.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builds one-graph test models in code and runs the upgrade checks the adapter tests share. */
final class TinyModel {
    static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    static final int INT64 = TensorProto.DataType.INT64_VALUE;

    private final int opset;
    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("tiny");

    private TinyModel(int opset) {
        this.opset = opset;
    }

    static TinyModel opset(int opset) {
        return new TinyModel(opset);
    }

    TinyModel input(String name, int elemType, long... dims) {
        graph.addInput(value(name, elemType, dims));
        return this;
    }

    /** A graph input of known element type and unknown shape (rank included). */
    TinyModel inputOfUnknownShape(String name, int elemType) {
        graph.addInput(ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType))));
        return this;
    }

    /** A graph output of known element type and unknown shape. */
    TinyModel output(String name, int elemType) {
        graph.addOutput(ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType))));
        return this;
    }

    TinyModel initializer(String name, Tensor value) {
        graph.addInitializer(TensorProtos.fromTensor(name, value));
        return this;
    }

    TinyModel node(String opType, List<String> in, List<String> out, AttributeProto... attrs) {
        graph.addNode(Nodes.node(opType, opType.toLowerCase() + "_" + graph.getNodeCount(), in, out, attrs));
        return this;
    }

    TinyModel node(NodeProto node) {
        graph.addNode(node);
        return this;
    }

    ModelProto build() {
        return ModelProto.newBuilder()
                .setIrVersion(Math.max(4, OpsetUpgrader.minimumIrVersion(opset)))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph)
                .build();
    }

    static ValueInfoProto value(String name, int elemType, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder()
                                .setElemType(elemType)
                                .setShape(shape)))
                .build();
    }

    /** Seeded values in [-3, 3), so clipping and padding constants matter. */
    static Tensor randomFloats(long seed, long... shape) {
        Random r = new Random(seed);
        float[] v = new float[Math.toIntExact(Tensor.elementCount(shape))];
        for (int i = 0; i < v.length; i++) v[i] = r.nextFloat() * 6f - 3f;
        return Tensor.ofFloats(shape, v);
    }

    /** The only node of the upgraded main graph whose op type is {@code opType}. */
    static NodeProto single(ModelProto model, String opType) {
        List<NodeProto> found = model.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals(opType))
                .toList();
        assertThat(found).as("%s nodes in the upgraded graph", opType).hasSize(1);
        return found.getFirst();
    }

    /** The int64 values of the initializer called {@code name}. */
    static long[] int64Initializer(ModelProto model, String name) {
        TensorProto t = model.getGraph().getInitializerList().stream()
                .filter(i -> i.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no initializer " + name));
        return TensorProtos.toTensor(t, null).toLongs();
    }

    /** The float values of the initializer called {@code name}. */
    static float[] floatInitializer(ModelProto model, String name) {
        TensorProto t = model.getGraph().getInitializerList().stream()
                .filter(i -> i.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no initializer " + name));
        return TensorProtos.toTensor(t, null).toFloats();
    }

    /** Upgrades to 13, checks the opset import and runs original and upgrade: they must agree within {@code tol}. */
    static ModelProto upgradeAndCompare(ModelProto original, Map<String, Tensor> feeds, double tol) {
        ModelProto upgraded = OpsetUpgrader.upgrade(original, 13);
        assertThat(upgraded.getOpsetImport(0).getVersion()).isEqualTo(13);
        UpgradeCheck.Result r = UpgradeCheck.compare(original, upgraded, feeds);
        assertThat(r.maxAbsDifference())
                .as("max |upgraded - original| (worst output %s)", r.worstOutput())
                .isLessThanOrEqualTo(tol);
        return upgraded;
    }
}
