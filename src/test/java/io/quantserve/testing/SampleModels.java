package io.quantserve.testing;

import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.util.List;

/** Small models built in code that several test classes share. */
public final class SampleModels {
    private SampleModels() {}

    /** x → Conv(bias) → Relu → ConvTranspose(group 2) → AveragePool → Flatten → Gemm(transB) → MatMul → y. */
    public static OnnxModel allLayerKinds() {
        return TinyModel.create()
                .input("x", DataType.FLOAT, 0, 2, 6, 6)
                .initializer("w1", TinyModel.random(1, -0.5f, 0.5f, 4, 2, 3, 3))
                .initializer("b1", TinyModel.random(2, -0.2f, 0.2f, 4))
                .initializer("w2", TinyModel.random(3, -0.5f, 0.5f, 4, 3, 2, 2))
                .initializer("b2", TinyModel.random(4, -0.1f, 0.1f, 6))
                .initializer("shape", Tensor.ofLongs(new long[] {2}, new long[] {0, -1}))
                .initializer("w3", TinyModel.random(5, -0.3f, 0.3f, 5, 6 * 3 * 3))
                .initializer("b3", TinyModel.random(6, -0.1f, 0.1f, 5))
                .initializer("w4", TinyModel.random(7, -0.5f, 0.5f, 5, 3))
                .namedNode(
                        "conv", "Conv", List.of("x", "w1", "b1"), List.of("c1"), Attributes.ofInts("pads", 1, 1, 1, 1))
                .namedNode("relu", "Relu", List.of("c1"), List.of("r1"))
                .namedNode(
                        "deconv",
                        "ConvTranspose",
                        List.of("r1", "w2", "b2"),
                        List.of("d1"),
                        Attributes.of("group", 2L),
                        Attributes.ofInts("strides", 1, 1))
                .namedNode(
                        "pool",
                        "AveragePool",
                        List.of("d1"),
                        List.of("p1"),
                        Attributes.ofInts("kernel_shape", 3, 3),
                        Attributes.ofInts("strides", 2, 2))
                .namedNode("flat", "Reshape", List.of("p1", "shape"), List.of("f1"))
                .namedNode("fc", "Gemm", List.of("f1", "w3", "b3"), List.of("g1"), Attributes.of("transB", 1L))
                .namedNode("proj", "MatMul", List.of("g1", "w4"), List.of("y"))
                .output("y", DataType.FLOAT, 0, 3)
                .build();
    }
}
