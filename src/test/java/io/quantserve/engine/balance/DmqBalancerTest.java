package io.quantserve.engine.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.GraphEditor;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.TinyModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DMQ balancing as a graph rewrite: a {@code Mul(1/s)} in front of the layer, the weight scaled along its
 * input-channel axis, and the float model's outputs unchanged.
 */
class DmqBalancerTest {
    private static float[] run(OnnxModel model, Tensor x) {
        try (InferenceSession s =
                InferenceSession.open(model.proto().toByteArray(), "test model", SessionSettings.unoptimized())) {
            return s.run(Map.of("x", x), List.of("y")).get("y").toFloats();
        }
    }

    private static float[] weight(OnnxModel model, String name) {
        return model.tensor(new GraphEditor(model.proto().getGraph())
                        .initializer(name)
                        .orElseThrow())
                .toFloats();
    }

    /** Asserts structure (Mul of x and the inverse factors, layer reading it) and returns the factor shape. */
    private static long[] assertMulInserted(OnnxModel balanced, String layer, float[] factors) {
        GraphEditor ed = new GraphEditor(balanced.proto().getGraph());
        NodeProto node = ed.node(layer).orElseThrow();
        NodeProto mul = ed.producer(node.getInput(0)).orElseThrow();
        assertThat(mul.getOpType()).isEqualTo("Mul");
        assertThat(mul.getInput(0)).isEqualTo("x");
        Tensor inverse = balanced.tensor(ed.initializer(mul.getInput(1)).orElseThrow());
        float[] expected = new float[factors.length];
        for (int i = 0; i < factors.length; i++) expected[i] = 1f / factors[i];
        assertThat(inverse.toFloats()).containsExactly(expected);
        return inverse.shape();
    }

    private static void assertSameOutputs(OnnxModel original, OnnxModel balanced, Tensor x) {
        float[] a = run(original, x);
        float[] b = run(balanced, x);
        double maxRef = 0;
        double maxDiff = 0;
        for (int i = 0; i < a.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(a[i]));
            maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
        }
        assertThat(maxDiff)
                .as("float outputs, relative to max |y| = %s", maxRef)
                .isLessThanOrEqualTo(1e-5 * maxRef);
    }

    @Test
    void convWeightIsScaledAlongAxisOne() {
        OnnxModel model = TinyModel.create()
                .input("x", DataType.FLOAT, 0, 3, 5, 5)
                .initializer("w", TinyModel.random(1, -1f, 1f, 2, 3, 3, 3))
                .initializer("b", TinyModel.random(2, -1f, 1f, 2))
                .namedNode("conv", "Conv", List.of("x", "w", "b"), List.of("y"), Attributes.ofInts("pads", 1, 1, 1, 1))
                .output("y", DataType.FLOAT, 0, 2, 5, 5)
                .build();
        float[] f = {4f, 0.5f, 1f};
        OnnxModel balanced = DmqBalancer.apply(model, Map.of("conv", f));

        assertThat(assertMulInserted(balanced, "conv", f)).containsExactly(3, 1, 1);
        float[] w = weight(model, "w");
        float[] wb = weight(balanced, "w");
        for (int i = 0; i < w.length; i++) {
            int inputChannel = (i / 9) % 3;
            assertThat(wb[i]).as("w[%d]", i).isEqualTo(w[i] * f[inputChannel]);
        }
        assertThat(weight(balanced, "b")).containsExactly(weight(model, "b"));
        assertSameOutputs(model, balanced, TinyModel.random(3, -5f, 5f, 2, 3, 5, 5));
    }

    @Test
    void depthwiseConvScalesEachFilterByItsOwnChannel() {
        OnnxModel model = TinyModel.create()
                .input("x", DataType.FLOAT, 0, 4, 6, 6)
                .initializer("w", TinyModel.random(4, -1f, 1f, 4, 1, 3, 3))
                .namedNode("dw", "Conv", List.of("x", "w"), List.of("y"), Attributes.of("group", 4L))
                .output("y", DataType.FLOAT, 0, 4, 4, 4)
                .build();
        float[] f = {8f, 0.25f, 2f, 1f};
        OnnxModel balanced = DmqBalancer.apply(model, Map.of("dw", f));

        assertThat(assertMulInserted(balanced, "dw", f)).containsExactly(4, 1, 1);
        float[] w = weight(model, "w");
        float[] wb = weight(balanced, "w");
        for (int i = 0; i < w.length; i++) {
            assertThat(wb[i]).as("w[%d]", i).isEqualTo(w[i] * f[i / 9]);
        }
        assertSameOutputs(model, balanced, TinyModel.random(5, -50f, 50f, 2, 4, 6, 6));
    }

    @Test
    void groupedConvScalesTheColumnsOfEachGroup() {
        // 4 input channels in 2 groups, 6 outputs: outputs 0-2 read inputs 0-1, outputs 3-5 read inputs 2-3
        OnnxModel model = TinyModel.create()
                .input("x", DataType.FLOAT, 0, 4, 4, 4)
                .initializer("w", TinyModel.random(6, -1f, 1f, 6, 2, 1, 1))
                .namedNode("gconv", "Conv", List.of("x", "w"), List.of("y"), Attributes.of("group", 2L))
                .output("y", DataType.FLOAT, 0, 6, 4, 4)
                .build();
        float[] f = {2f, 4f, 0.5f, 16f};
        OnnxModel balanced = DmqBalancer.apply(model, Map.of("gconv", f));
        float[] w = weight(model, "w");
        float[] wb = weight(balanced, "w");
        for (int o = 0; o < 6; o++) {
            for (int j = 0; j < 2; j++) {
                int inputChannel = (o / 3) * 2 + j;
                assertThat(wb[o * 2 + j]).isEqualTo(w[o * 2 + j] * f[inputChannel]);
            }
        }
        assertSameOutputs(model, balanced, TinyModel.random(7, -3f, 3f, 1, 4, 4, 4));
    }

    @Test
    void matMulWeightRowsAreScaledAndTheFactorBroadcastsOverTheLastAxis() {
        OnnxModel model = TinyModel.create()
                .input("x", DataType.FLOAT, 0, 5, 3)
                .initializer("w", TinyModel.random(8, -1f, 1f, 3, 4))
                .namedNode("mm", "MatMul", List.of("x", "w"), List.of("y"))
                .output("y", DataType.FLOAT, 0, 5, 4)
                .build();
        float[] f = {0.125f, 32f, 1f};
        OnnxModel balanced = DmqBalancer.apply(model, Map.of("mm", f));

        assertThat(assertMulInserted(balanced, "mm", f)).containsExactly(3);
        float[] w = weight(model, "w");
        float[] wb = weight(balanced, "w");
        for (int i = 0; i < w.length; i++) assertThat(wb[i]).isEqualTo(w[i] * f[i / 4]);
        assertSameOutputs(model, balanced, TinyModel.random(9, -100f, 100f, 2, 5, 3));
    }

    @Test
    void gemmWithTransposedWeightScalesItsColumns() {
        OnnxModel model = TinyModel.create()
                .input("x", DataType.FLOAT, 0, 3)
                .initializer("w", TinyModel.random(10, -1f, 1f, 2, 3))
                .initializer("c", TinyModel.random(11, -1f, 1f, 2))
                .namedNode("fc", "Gemm", List.of("x", "w", "c"), List.of("y"), Attributes.of("transB", 1L))
                .output("y", DataType.FLOAT, 0, 2)
                .build();
        float[] f = {2f, 0.5f, 64f};
        OnnxModel balanced = DmqBalancer.apply(model, Map.of("fc", f));
        float[] w = weight(model, "w");
        float[] wb = weight(balanced, "w");
        for (int i = 0; i < w.length; i++) assertThat(wb[i]).isEqualTo(w[i] * f[i % 3]);
        assertSameOutputs(model, balanced, TinyModel.random(12, -10f, 10f, 4, 3));
    }

    @Test
    void convTransposeWeightIsScaledAlongAxisZero() {
        OnnxModel model = TinyModel.create()
                .input("x", DataType.FLOAT, 0, 2, 3, 3)
                .initializer("w", TinyModel.random(13, -1f, 1f, 2, 3, 2, 2))
                .namedNode("up", "ConvTranspose", List.of("x", "w"), List.of("y"), Attributes.ofInts("strides", 2, 2))
                .output("y", DataType.FLOAT, 0, 3, 6, 6)
                .build();
        float[] f = {0.25f, 8f};
        OnnxModel balanced = DmqBalancer.apply(model, Map.of("up", f));
        float[] w = weight(model, "w");
        float[] wb = weight(balanced, "w");
        for (int i = 0; i < w.length; i++) assertThat(wb[i]).isEqualTo(w[i] * f[i / 12]);
        assertSameOutputs(model, balanced, TinyModel.random(14, -4f, 4f, 1, 2, 3, 3));
    }

    @Test
    void factorsThatDoNotFitTheLayerAreRefusedNamingIt() {
        OnnxModel model = TinyModel.create()
                .input("x", DataType.FLOAT, 0, 3)
                .initializer("w", TinyModel.random(15, -1f, 1f, 3, 2))
                .namedNode("mm", "MatMul", List.of("x", "w"), List.of("y"))
                .output("y", DataType.FLOAT, 0, 2)
                .build();
        assertThatThrownBy(() -> DmqBalancer.apply(model, Map.of("mm", new float[] {1f, 2f})))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("layer 'mm': 2 tensor_balance_factor values for 3 input channels");
        assertThatThrownBy(() -> DmqBalancer.apply(model, Map.of("mm", new float[] {1f, 0f, 2f})))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("tensor_balance_factor[1]");
        assertThatThrownBy(() -> DmqBalancer.apply(model, Map.of("ghost", new float[] {1f})))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'ghost'");
        assertThat(DmqBalancer.apply(model, Map.of())).isSameAs(model);
    }
}
