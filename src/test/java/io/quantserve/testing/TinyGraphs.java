package io.quantserve.testing;

import io.quantserve.engine.onnx.Attributes;
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
import io.quantserve.engine.tensor.Tensor;
import java.util.List;

/** Builds small float32 ONNX models in code (opset 13, IR 8) and deterministic pseudo-random data. */
public final class TinyGraphs {
    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("tiny");

    public static TinyGraphs graph() {
        return new TinyGraphs();
    }

    public TinyGraphs input(String name, long... shape) {
        graph.addInput(valueInfo(name, shape));
        return this;
    }

    /** A float output of unknown shape. */
    public TinyGraphs output(String name) {
        graph.addOutput(valueInfo(name, null));
        return this;
    }

    public TinyGraphs init(String name, long[] shape, float[] values) {
        graph.addInitializer(TensorProtos.fromTensor(name, Tensor.ofFloats(shape, values)));
        return this;
    }

    /** A float initializer filled with {@link #values} from {@code seed} in [-1, 1). */
    public TinyGraphs randomInit(String name, long seed, long... shape) {
        return init(name, shape, values((int) Tensor.elementCount(shape), seed, -1f, 1f));
    }

    public TinyGraphs node(String op, String name, List<String> in, List<String> out, AttributeProto... attrs) {
        graph.addNode(NodeProto.newBuilder()
                .setOpType(op)
                .setName(name)
                .addAllInput(in)
                .addAllOutput(out)
                .addAllAttribute(List.of(attrs)));
        return this;
    }

    public OnnxModel build() {
        return OnnxModel.inMemory(ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName("quantserve-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(graph)
                .build());
    }

    /** {@code n} floats in [lo, hi) from a fixed linear congruential sequence. */
    /**
     * A chain of {@code layers} 3×3 convolutions ({@code conv0}, {@code conv1}, …; padding 1, random weights) from
     * input {@code x} of {@code shape} [N, C, H, W] to output {@code y<layers-1>}; convolution {@code i} writes
     * {@code y<i>} and keeps C channels.
     */
    public static OnnxModel convChain(int layers, long... shape) {
        TinyGraphs g = graph().input("x", shape);
        String in = "x";
        for (int i = 0; i < layers; i++) {
            g.randomInit("w" + i, 10 + i, shape[1], shape[1], 3, 3)
                    .node(
                            "Conv",
                            "conv" + i,
                            List.of(in, "w" + i),
                            List.of("y" + i),
                            Attributes.ofInts("pads", 1, 1, 1, 1));
            in = "y" + i;
        }
        return g.output(in).build();
    }

    public static float[] values(int n, long seed, float lo, float hi) {
        float[] out = new float[n];
        long s = seed * 6364136223846793005L + 1442695040888963407L;
        for (int i = 0; i < n; i++) {
            s = s * 6364136223846793005L + 1442695040888963407L;
            out[i] = lo + (hi - lo) * ((s >>> 40) / (float) (1L << 24));
        }
        return out;
    }

    public static Tensor randomTensor(long seed, long... shape) {
        return Tensor.ofFloats(shape, values((int) Tensor.elementCount(shape), seed, -1f, 1f));
    }

    private static ValueInfoProto valueInfo(String name, long[] shape) {
        TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(1);
        if (shape != null) {
            TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
            for (long d : shape)
                s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
            t.setShape(s);
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(t))
                .build();
    }
}
