package io.quantserve.engine.inspect;

import static io.quantserve.engine.inspect.TestGraphs.assertSameOutputs;
import static io.quantserve.engine.inspect.TestGraphs.constant;
import static io.quantserve.engine.inspect.TestGraphs.floats;
import static io.quantserve.engine.inspect.TestGraphs.graphAttribute;
import static io.quantserve.engine.inspect.TestGraphs.node;
import static io.quantserve.engine.inspect.TestGraphs.onnx;
import static io.quantserve.engine.inspect.TestGraphs.tensor;
import static io.quantserve.engine.inspect.TestGraphs.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.layers.LayerFinder;
import io.quantserve.engine.layers.LayerScan;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.TensorProtos;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.onnx.proto.Onnx.ValueInfoProto;
import io.quantserve.engine.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rewriting half of {@link ModelNormalizer}: structure first, then ONNX Runtime before/after. */
class ModelNormalizerTest {
    private static final Tensor X14 = Tensor.ofFloats(new long[] {1, 4}, new float[] {0.5f, -1.25f, 2f, 3.5f});

    @Test
    void unnamedNodesGetOpTypeIndexNames() {
        GraphProto g = GraphProto.newBuilder()
                .setName("unnamed")
                .addInput(floats("x", 1, 4))
                .addOutput(floats("y", 1, 4))
                .addNode(node("Relu", "", List.of("x"), List.of("a")))
                .addNode(node("Neg", "neg", List.of("a"), List.of("b")))
                .addNode(node("Relu", "", List.of("b"), List.of("y")))
                .build();
        OnnxModel model = onnx(g);

        NormalizedModel n = ModelNormalizer.normalize(model);

        assertThat(n.model().proto().getGraph().getNodeList())
                .extracting(NodeProto::getName)
                .containsExactly("Relu_0", "neg", "Relu_1");
        assertThat(n.changes()).containsExactly("named 2 unnamed nodes {op_type}_{index}: Relu_0, Relu_1");
        assertSameOutputs(model.proto(), n.model().proto(), Map.of("x", X14));
    }

    /** ONNX Runtime refuses duplicate node names, so the original cannot be run: the result is checked by hand. */
    @Test
    void duplicateNodeNamesAreRenamedAndReported() {
        GraphProto g = GraphProto.newBuilder()
                .setName("duplicates")
                .addInput(floats("x", 1, 4))
                .addOutput(floats("y", 1, 4))
                .addNode(node("Relu", "r", List.of("x"), List.of("a")))
                .addNode(node("Neg", "r", List.of("a"), List.of("b")))
                .addNode(node("Add", "r", List.of("b", "x"), List.of("y")))
                .build();

        NormalizedModel n = ModelNormalizer.normalize(onnx(g));

        assertThat(n.model().proto().getGraph().getNodeList())
                .extracting(NodeProto::getName)
                .containsExactly("r", "Neg_0", "Add_0");
        assertThat(n.changes())
                .containsExactly("renamed 2 nodes whose name was already taken: 'r' (Neg) to 'Neg_0', 'r' (Add) to"
                        + " 'Add_0'");
        // y = x - relu(x): 0 for positive x, x for negative x.
        assertThat(TestGraphs.run(n.model().proto(), Map.of("x", X14)).get("y").toFloats())
                .containsExactly(0f, -1.25f, 0f, 0f);
    }

    /** Every Constant form becomes an initializer named after the node's output; the weight makes MatMul a layer. */
    @Test
    void constantNodesInTheMainGraphBecomeInitializers() {
        float[] w = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        GraphProto g = GraphProto.newBuilder()
                .setName("constants")
                .addInput(floats("x", 1, 4))
                .addOutput(floats("r", 3, 1))
                .addOutput(floats("g", 1))
                .addOutput(floats("k", 2))
                .addNode(constant("w_const", "w", tensor("stored_under_another_name", new long[] {4, 3}, w)))
                .addNode(node("MatMul", "mm", List.of("x", "w"), List.of("m")))
                .addNode(constant("half_const", "half", Attributes.of("value_float", 0.5f)))
                .addNode(node("Mul", "scale", List.of("m", "half"), List.of("h")))
                .addNode(constant("bias_const", "bias", TestGraphs.floatsAttribute("value_floats", 1, 2, 3)))
                .addNode(node("Add", "add", List.of("h", "bias"), List.of("a")))
                .addNode(constant("shape_const", "shape", Attributes.ofInts("value_ints", 3, 1)))
                .addNode(node("Reshape", "reshape", List.of("a", "shape"), List.of("r")))
                .addNode(constant("idx_const", "idx", Attributes.of("value_int", 2L)))
                .addNode(node("Gather", "gather", List.of("r", "idx"), List.of("g")))
                // A constant that is a graph output keeps being one.
                .addNode(constant("k_const", "k", tensor("k", new long[] {2}, 7f, -7f)))
                .addNode(constant("labels_const", "labels", TestGraphs.stringsAttribute("value_strings", "a", "b")))
                .build();
        OnnxModel model = onnx(g);
        assertThat(LayerFinder.scan(model.proto()).skipped())
                .singleElement()
                .satisfies(s -> assertThat(s.reason()).contains("activation x activation"));

        NormalizedModel n = ModelNormalizer.normalize(model);

        GraphProto out = n.model().proto().getGraph();
        assertThat(out.getNodeList()).extracting(NodeProto::getOpType).doesNotContain("Constant");
        assertThat(out.getInitializerList())
                .extracting(TensorProto::getName)
                .containsExactly("w", "half", "bias", "shape", "idx", "k", "labels");
        assertThat(TensorProtos.toTensor(out.getInitializer(0), null).toFloats())
                .containsExactly(w);
        assertThat(out.getInitializer(0).getDimsList()).containsExactly(4L, 3L);
        assertThat(out.getInitializer(1).getDimsList()).isEmpty();
        assertThat(TensorProtos.toTensor(out.getInitializer(3), null).toLongs()).containsExactly(3, 1);
        assertThat(TensorProtos.toTensor(out.getInitializer(4), null).toLongs()).containsExactly(2);
        assertThat(out.getInitializer(6).getStringDataList())
                .extracting(b -> b.toStringUtf8())
                .containsExactly("a", "b");
        assertThat(out.getOutputList()).extracting(ValueInfoProto::getName).containsExactly("r", "g", "k");
        assertThat(n.changes())
                .containsExactly("moved 7 Constant nodes into initializers (main graph: 7); 1 of them holds float"
                        + " weights (rank 2 or more), which now count as constants");
        LayerScan scan = LayerFinder.scan(n.model().proto());
        assertThat(scan.layers()).singleElement().satisfies(l -> {
            assertThat(l.name()).isEqualTo("mm");
            assertThat(l.weight()).isEqualTo("w");
            assertThat(l.weightShape()).containsExactly(4, 3);
        });
        assertSameOutputs(model.proto(), n.model().proto(), Map.of("x", X14));
    }

    /**
     * Constants inside If branches become initializers of that branch; one of them is the branch output itself.
     * Both branches are run.
     */
    @Test
    void constantNodesInsideIfBranchesBecomeInitializersOfTheBranch() {
        GraphProto then = GraphProto.newBuilder()
                .setName("then")
                .addOutput(floats("t_out", 1, 2))
                .addNode(constant("wt_const", "wt", tensor("wt", new long[] {4, 2}, 1, -1, 2, -2, 3, -3, 4, -4)))
                .addNode(node("MatMul", "then_mm", List.of("x", "wt"), List.of("t_out")))
                .build();
        GraphProto otherwise = GraphProto.newBuilder()
                .setName("else")
                .addOutput(floats("e_out", 1, 2))
                .addNode(constant("e_const", "e_out", tensor("e", new long[] {1, 2}, 42f, -42f)))
                .build();
        GraphProto g = GraphProto.newBuilder()
                .setName("branches")
                .addInput(value("cond", TensorProto.DataType.BOOL))
                .addInput(floats("x", 1, 4))
                .addOutput(floats("y", 1, 2))
                .addNode(node(
                        "If",
                        "choose",
                        List.of("cond"),
                        List.of("y"),
                        graphAttribute("then_branch", then),
                        graphAttribute("else_branch", otherwise)))
                .build();
        OnnxModel model = onnx(g);

        NormalizedModel n = ModelNormalizer.normalize(model);

        NodeProto choose = n.model().proto().getGraph().getNode(0);
        GraphProto thenOut =
                Attributes.find(choose, "then_branch").orElseThrow().getG();
        GraphProto elseOut =
                Attributes.find(choose, "else_branch").orElseThrow().getG();
        assertThat(thenOut.getNodeList()).extracting(NodeProto::getName).containsExactly("then_mm");
        assertThat(thenOut.getInitializerList())
                .extracting(TensorProto::getName)
                .containsExactly("wt");
        assertThat(elseOut.getNodeList()).isEmpty();
        assertThat(elseOut.getInitializerList())
                .extracting(TensorProto::getName)
                .containsExactly("e_out");
        assertThat(n.model().proto().getGraph().getInitializerList()).isEmpty();
        assertThat(n.changes())
                .containsExactly("moved 2 Constant nodes into initializers (choose/then_branch: 1, choose/else_branch:"
                        + " 1); 2 of them hold float weights (rank 2 or more), which now count as constants");
        assertThat(LayerFinder.scan(n.model().proto()).layers()).singleElement().satisfies(l -> {
            assertThat(l.name()).isEqualTo("then_mm");
            assertThat(l.scope()).isEqualTo("choose/then_branch");
        });
        for (boolean cond : new boolean[] {true, false}) {
            Tensor c = Tensor.ofBytes(
                    io.quantserve.engine.tensor.DataType.BOOL,
                    new long[0],
                    java.nio.ByteBuffer.wrap(new byte[] {(byte) (cond ? 1 : 0)}));
            assertSameOutputs(model.proto(), n.model().proto(), Map.of("cond", c, "x", X14));
        }
    }

    /** IR 3 style: every initializer is also a graph input. The inputs go, ir_version becomes 4. */
    @Test
    void initializersListedAsInputsAreRemovedFromTheInputs() {
        float[] w = new float[3 * 2 * 3 * 3];
        for (int i = 0; i < w.length; i++) w[i] = (i % 7 - 3) / 4f;
        GraphProto g = GraphProto.newBuilder()
                .setName("ir3")
                .addInput(floats("x", 1, 2, 4, 4))
                .addInput(floats("W", 3, 2, 3, 3))
                .addInput(floats("B", 3))
                .addOutput(floats("y", 1, 3, 2, 2))
                .addInitializer(tensor("W", new long[] {3, 2, 3, 3}, w))
                .addInitializer(tensor("B", new long[] {3}, 0.5f, -0.5f, 1f))
                .addNode(node("Conv", "conv", List.of("x", "W", "B"), List.of("y")))
                .build();
        OnnxModel model = OnnxModel.inMemory(TestGraphs.model(g, 3, 9));

        NormalizedModel n = ModelNormalizer.normalize(model);

        ModelProto out = n.model().proto();
        assertThat(out.getGraph().getInputList())
                .extracting(ValueInfoProto::getName)
                .containsExactly("x");
        assertThat(out.getGraph().getInitializerList())
                .extracting(TensorProto::getName)
                .containsExactly("W", "B");
        assertThat(out.getIrVersion()).isEqualTo(4);
        assertThat(n.changes())
                .containsExactly(
                        "removed 2 initializers from the graph inputs (IR < 4 style; weights are constants for"
                                + " quantization): W, B",
                        "raised ir_version from 3 to 4 (initializers are no longer listed as graph inputs)");
        float[] x = new float[2 * 4 * 4];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i);
        assertSameOutputs(model.proto(), out, Map.of("x", Tensor.ofFloats(new long[] {1, 2, 4, 4}, x)));
    }

    @Test
    void aModelInShapeIsLeftAloneAndNormalisingIsIdempotentAndDeterministic() {
        GraphProto g = GraphProto.newBuilder()
                .setName("tidy")
                .addInput(floats("x", 1, 4))
                .addOutput(floats("y", 1, 4))
                .addNode(node("Relu", "relu", List.of("x"), List.of("y")))
                .build();
        OnnxModel tidy = onnx(g);
        NormalizedModel n = ModelNormalizer.normalize(tidy);
        assertThat(n.changes()).isEmpty();
        assertThat(n.model().proto()).isEqualTo(tidy.proto());

        GraphProto messy = g.toBuilder()
                .clearNode()
                .addNode(constant("", "c", tensor("c", new long[] {1}, 2f)))
                .addNode(node("Mul", "", List.of("x", "c"), List.of("m")))
                .addNode(node("Relu", "", List.of("m"), List.of("y")))
                .build();
        NormalizedModel first = ModelNormalizer.normalize(onnx(messy));
        NormalizedModel second = ModelNormalizer.normalize(onnx(messy));
        // The Constant node's own name is not reported: it no longer exists.
        assertThat(first.changes())
                .containsExactly(
                        "named 2 unnamed nodes {op_type}_{index}: Mul_0, Relu_0",
                        "moved 1 Constant node into initializers (main graph: 1)")
                .isEqualTo(second.changes());
        assertThat(first.model().proto().toByteArray())
                .isEqualTo(second.model().proto().toByteArray());
        assertThat(ModelNormalizer.normalize(first.model()).changes()).isEmpty();
    }
}
