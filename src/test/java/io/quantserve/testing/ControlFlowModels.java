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
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Tiny float32 models (opset 13) whose quantizable layers sit inside {@code If} and {@code Loop} bodies. Weights
 * are seeded, so every build gives the same bytes.
 */
public final class ControlFlowModels {
    private ControlFlowModels() {}

    /**
     * {@code x[N,2,5,5] → If(mean(x) > 0)}: the then branch runs {@code Relu → conv_then} (weights in the branch),
     * the else branch {@code conv_else} on {@code x} (weights in the main graph); the If output feeds
     * {@code conv_main} → {@code y[N,2,5,5]}. The If node is {@code choose}.
     */
    public static OnnxModel ifWithConvs() {
        Graph thenBranch = new Graph("then")
                .init("w_then", TinyModel.random(11, -0.5f, 0.5f, 3, 2, 3, 3))
                .init("b_then", TinyModel.random(12, -0.2f, 0.2f, 3))
                .node("Relu", "relu_then", List.of("x"), List.of("r"))
                .node("Conv", "conv_then", List.of("r", "w_then", "b_then"), List.of("y_then"), pads())
                .output("y_then", DataType.FLOAT);
        Graph elseBranch = new Graph("else")
                .node("Conv", "conv_else", List.of("x", "w_else", "b_else"), List.of("y_else"), pads())
                .output("y_else", DataType.FLOAT);
        return new Graph("main")
                .input("x", DataType.FLOAT, 0, 2, 5, 5)
                .init("w_else", TinyModel.random(13, -0.5f, 0.5f, 3, 2, 3, 3))
                .init("b_else", TinyModel.random(14, -0.2f, 0.2f, 3))
                .init("w_main", TinyModel.random(15, -0.5f, 0.5f, 2, 3, 1, 1))
                .init("zero", Tensor.ofFloats(new long[0], new float[] {0f}))
                .node("ReduceMean", "mean", List.of("x"), List.of("m"), Attributes.of("keepdims", 0L))
                .node("Greater", "positive", List.of("m", "zero"), List.of("cond"))
                .node(
                        "If",
                        "choose",
                        List.of("cond"),
                        List.of("h"),
                        graph("then_branch", thenBranch.build()),
                        graph("else_branch", elseBranch.build()))
                .node("Conv", "conv_main", List.of("h", "w_main"), List.of("y"))
                .output("y", DataType.FLOAT)
                .model();
    }

    /**
     * {@code x[N,4] → Loop(3 iterations)}: the body runs {@code mm_body = MatMul(h, W)} on the loop-carried
     * {@code h} (W in the body, about 1.5·I so values grow each iteration) and carries the result on; outputs the
     * final {@code h_final} and the scan output {@code m_all[3,N,4]} (every iteration's MatMul result). The Loop
     * node is {@code loop}.
     */
    public static OnnxModel loopWithMatMul() {
        float[] w = TinyModel.random(21, -0.2f, 0.2f, 4, 4).toFloats();
        for (int i = 0; i < 4; i++) w[i * 4 + i] += 1.5f;
        Graph body = loopBody()
                .init("w_body", Tensor.ofFloats(new long[] {4, 4}, w))
                .node("MatMul", "mm_body", List.of("h_in", "w_body"), List.of("m"))
                .node("Identity", "carry", List.of("m"), List.of("h_out"))
                .output("c_out", DataType.BOOL)
                .output("h_out", DataType.FLOAT)
                .output("m", DataType.FLOAT);
        return new Graph("main")
                .input("x", DataType.FLOAT, 0, 4)
                .init("trips", Tensor.ofLongs(new long[0], new long[] {3}))
                .init("go", bool(true))
                .node(
                        "Loop",
                        "loop",
                        List.of("trips", "go", "x"),
                        List.of("h_final", "m_all"),
                        graph("body", body.build()))
                .output("h_final", DataType.FLOAT)
                .output("m_all", DataType.FLOAT)
                .model();
    }

    /**
     * {@code x[N,4] → Loop(3 iterations)} whose body holds {@code If(i even)} (node {@code branch}): the then
     * branch runs {@code Tanh → mm_then} (weight in the branch), the else branch {@code Neg → mm_else} (weight two
     * scopes up, in the main graph); iterations 0 and 2 take the then branch, iteration 1 the else branch. After the
     * Loop (node {@code outer}) {@code mm_main} maps {@code h_final} to {@code y[N,3]}.
     */
    public static OnnxModel loopWithIf() {
        Graph thenBranch = new Graph("then")
                .init("w_then", TinyModel.random(31, -0.8f, 0.8f, 4, 4))
                .node("Tanh", "tanh_then", List.of("h_in"), List.of("a"))
                .node("MatMul", "mm_then", List.of("a", "w_then"), List.of("y_then"))
                .output("y_then", DataType.FLOAT);
        Graph elseBranch = new Graph("else")
                .node("Neg", "neg_else", List.of("h_in"), List.of("b"))
                .node("MatMul", "mm_else", List.of("b", "w_else"), List.of("y_else"))
                .output("y_else", DataType.FLOAT);
        Graph body = loopBody()
                .init("two", Tensor.ofLongs(new long[0], new long[] {2}))
                .init("zero_i", Tensor.ofLongs(new long[0], new long[] {0}))
                .node("Mod", "parity", List.of("i", "two"), List.of("odd"))
                .node("Equal", "is_even", List.of("odd", "zero_i"), List.of("even"))
                .node(
                        "If",
                        "branch",
                        List.of("even"),
                        List.of("h_out"),
                        graph("then_branch", thenBranch.build()),
                        graph("else_branch", elseBranch.build()))
                .output("c_out", DataType.BOOL)
                .output("h_out", DataType.FLOAT);
        return new Graph("main")
                .input("x", DataType.FLOAT, 0, 4)
                .init("trips", Tensor.ofLongs(new long[0], new long[] {3}))
                .init("go", bool(true))
                .init("w_else", TinyModel.random(32, -0.8f, 0.8f, 4, 4))
                .init("w_main", TinyModel.random(33, -0.5f, 0.5f, 4, 3))
                .node("Loop", "outer", List.of("trips", "go", "x"), List.of("h_final"), graph("body", body.build()))
                .node("MatMul", "mm_main", List.of("h_final", "w_main"), List.of("y"))
                .output("y", DataType.FLOAT)
                .model();
    }

    /**
     * {@code x[T,4] → Scan} over the first axis (node {@code scan}, {@code scan_output_axes [0]}): the body runs
     * {@code Relu → mm_scan} (weight in the body) on each row; outputs {@code ys[T,4]}.
     */
    public static OnnxModel scanWithMatMul() {
        Graph body = new Graph("body")
                .input("row", DataType.FLOAT, 4)
                .init("w_scan", TinyModel.random(41, -0.8f, 0.8f, 4, 4))
                .node("Relu", "relu_row", List.of("row"), List.of("r"))
                .node("MatMul", "mm_scan", List.of("r", "w_scan"), List.of("out_row"))
                .output("out_row", DataType.FLOAT);
        return new Graph("main")
                .input("x", DataType.FLOAT, 0, 4)
                .node(
                        "Scan",
                        "scan",
                        List.of("x"),
                        List.of("ys"),
                        graph("body", body.build()),
                        Attributes.of("num_scan_inputs", 1L),
                        Attributes.ofInts("scan_output_axes", 0))
                .output("ys", DataType.FLOAT)
                .model();
    }

    /**
     * {@code x[N,4] → Loop(2 iterations)} whose body runs {@code gemm_body = Gemm(h, w_gemm, c_gemm, alpha 0.5,
     * beta 2)} with both constants in the main graph (node {@code loop}); outputs {@code h_final}.
     */
    public static OnnxModel loopWithScaledGemm() {
        Graph body = loopBody()
                .node(
                        "Gemm",
                        "gemm_body",
                        List.of("h_in", "w_gemm", "c_gemm"),
                        List.of("h_out"),
                        Attributes.of("alpha", 0.5f),
                        Attributes.of("beta", 2f))
                .output("c_out", DataType.BOOL)
                .output("h_out", DataType.FLOAT);
        return new Graph("main")
                .input("x", DataType.FLOAT, 0, 4)
                .init("trips", Tensor.ofLongs(new long[0], new long[] {2}))
                .init("go", bool(true))
                .init("w_gemm", TinyModel.random(51, -1f, 1f, 4, 4))
                .init("c_gemm", TinyModel.random(52, -0.5f, 0.5f, 4))
                .node("Loop", "loop", List.of("trips", "go", "x"), List.of("h_final"), graph("body", body.build()))
                .output("h_final", DataType.FLOAT)
                .model();
    }

    /** Loop body inputs {@code i}, {@code c_in}, {@code h_in} and the node passing the condition on. */
    private static Graph loopBody() {
        return new Graph("body")
                .scalarInput("i", DataType.INT64)
                .scalarInput("c_in", DataType.BOOL)
                .input("h_in", DataType.FLOAT)
                .node("Identity", "keep_going", List.of("c_in"), List.of("c_out"));
    }

    private static AttributeProto pads() {
        return Attributes.ofInts("pads", 1, 1, 1, 1);
    }

    private static Tensor bool(boolean v) {
        return Tensor.ofBytes(DataType.BOOL, new long[0], ByteBuffer.wrap(new byte[] {(byte) (v ? 1 : 0)}));
    }

    /** A GRAPH attribute. */
    public static AttributeProto graph(String name, GraphProto g) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.GRAPH)
                .setG(g)
                .build();
    }

    /** A graph under construction. */
    private static final class Graph {
        private final GraphProto.Builder g;

        Graph(String name) {
            g = GraphProto.newBuilder().setName(name);
        }

        /** An input; no dims means unknown shape, a dim ≤ 0 is symbolic {@code N}. */
        Graph input(String name, DataType type, long... dims) {
            TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(type.onnxCode());
            if (dims.length > 0) t.setShape(shape(dims));
            g.addInput(ValueInfoProto.newBuilder()
                    .setName(name)
                    .setType(TypeProto.newBuilder().setTensorType(t)));
            return this;
        }

        Graph scalarInput(String name, DataType type) {
            g.addInput(ValueInfoProto.newBuilder()
                    .setName(name)
                    .setType(TypeProto.newBuilder()
                            .setTensorType(TypeProto.Tensor.newBuilder()
                                    .setElemType(type.onnxCode())
                                    .setShape(TensorShapeProto.newBuilder()))));
            return this;
        }

        Graph output(String name, DataType type) {
            g.addOutput(ValueInfoProto.newBuilder()
                    .setName(name)
                    .setType(TypeProto.newBuilder()
                            .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.onnxCode()))));
            return this;
        }

        Graph init(String name, Tensor t) {
            g.addInitializer(TensorProtos.fromTensor(name, t));
            return this;
        }

        Graph node(String op, String name, List<String> in, List<String> out, AttributeProto... attrs) {
            g.addNode(NodeProto.newBuilder()
                    .setOpType(op)
                    .setName(name)
                    .addAllInput(in)
                    .addAllOutput(out)
                    .addAllAttribute(List.of(attrs)));
            return this;
        }

        GraphProto build() {
            return g.build();
        }

        OnnxModel model() {
            return OnnxModel.inMemory(ModelProto.newBuilder()
                    .setIrVersion(8)
                    .setProducerName("quantserve-test")
                    .addOpsetImport(
                            OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                    .setGraph(g)
                    .build());
        }

        private static TensorShapeProto shape(long[] dims) {
            TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
            for (long d : dims) {
                s.addDim(
                        d > 0
                                ? TensorShapeProto.Dimension.newBuilder().setDimValue(d)
                                : TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
            }
            return s.build();
        }
    }
}
