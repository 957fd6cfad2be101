package io.quantserve.engine.export;

import io.quantserve.engine.layers.LayerType;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.GraphEditor;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.ScopedEdits;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.quant.ActivationParams;
import io.quantserve.engine.quant.LayerQuantization;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the portable INT8 model: standard ONNX operators that stock ONNX Runtime executes (opset 10+), with INT8
 * weights and INT32 biases stored as such (about a quarter of the float size).
 *
 * <p>Every quantized input goes through {@code Mul(1/scale_d) → QuantizeLinear(1, offset_d + 128)}: AMCT's
 * rounding, held as UINT8 with the offset shifted by 128 (the same integers; ONNX Runtime's fast x86 kernels take
 * unsigned activations with signed weights). MatMul and Gemm then run as {@code MatMulInteger} (Gemm's
 * {@code transB} weight stored transposed), add the INT32 bias, cast to float and multiply by {@code deq_scale}.
 * Conv and ConvTranspose run in float on the exact integers: {@code DequantizeLinear} gives {@code q − offset_d}
 * and the INT8 weight and INT32 bias are cast to float, casts ONNX Runtime folds once at load time; then
 * {@code Mul(deq_scale)}. This layout was chosen by measurement (README, "INT8 model"): {@code ConvInteger} ran
 * 4–8 times slower than float convolution in ONNX Runtime 1.29 on x86, while {@code MatMulInteger} with UINT8
 * activations ran about 1.7 times faster than float MatMul. AveragePool runs on the dequantized input. Results
 * equal the fake-quant model's wherever its float accumulation is exact.
 */
public final class Int8Exporter {
    private Int8Exporter() {}

    /**
     * Returns the INT8 model; the input model is not changed. Each layer is edited in its own scope, as in
     * {@link FakeQuantExporter#export}: a layer inside an {@code If}/{@code Loop}/{@code Scan} body gets its
     * integer operators and INT8/INT32 initializers in that body.
     */
    public static OnnxModel export(OnnxModel fused, List<LayerQuantization> layers) {
        Map<String, List<LayerQuantization>> byScope = LayersByScope.group(layers);
        return fused.withProto(ScopedEdits.apply(
                fused.proto(), List.copyOf(byScope.keySet()), scope -> exportScope(scope, byScope.get(scope.path()))));
    }

    private static void exportScope(ScopedEdits.Scope scope, List<LayerQuantization> layers) {
        GraphEditor ed = scope.editor();
        Map<String, String> quantized = new HashMap<>();
        for (LayerQuantization lq : layers) {
            NodeProto node = ed.node(lq.layer().name())
                    .orElseThrow(() -> new IllegalArgumentException(
                            "no node '" + lq.layer().name() + "'"));
            String name = lq.layer().name();
            ActivationParams a = lq.activation();
            String x = node.getInput(0);
            String key = x + "|" + Float.floatToIntBits(a.scale()) + "|" + a.offset();
            String xq = quantized.computeIfAbsent(key, k -> quantize(ed, x, a, name));
            String zp = ed.addInitializer(name + "_x_zero_point", uint8Scalar(a.offset() + 128));
            String out = node.getOutput(0);
            if (lq.weight() != null) FakeQuantExporter.releaseIfOuter(scope, node.getInput(1));
            if (lq.bias() != null && node.getInputCount() > 2)
                FakeQuantExporter.releaseIfOuter(scope, node.getInput(2));
            LayerType type = lq.layer().type();
            String acc;
            switch (type) {
                case GEMM, MATMUL -> {
                    Tensor w = lq.layer().transB() ? transpose2d(lq.weight()) : lq.weight();
                    String wName = ed.addInitializer(node.getInput(1) + "_int8", w);
                    acc = ed.uniqueName(out + "_int32");
                    ed.replaceNode(retyped(node, "MatMulInteger", List.of(xq, wName, zp), acc, List.of()));
                }
                case CONV, CONV_TRANSPOSE -> {
                    String xf = dequantize(ed, xq, 1f, zp, name);
                    String w8 = ed.addInitializer(node.getInput(1) + "_int8", lq.weight());
                    String wf = ed.uniqueName(w8 + "_float");
                    ed.addNode("Cast", name + "_weight_cast", List.of(w8), List.of(wf), Attributes.of("to", (long)
                            DataType.FLOAT.onnxCode()));
                    NodeProto.Builder nb = node.toBuilder().setInput(0, xf).setInput(1, wf);
                    if (lq.bias() != null) {
                        String b32 = ed.addInitializer(name + "_bias_int32", lq.bias());
                        String bf = ed.uniqueName(b32 + "_float");
                        ed.addNode("Cast", name + "_bias_cast", List.of(b32), List.of(bf), Attributes.of("to", (long)
                                DataType.FLOAT.onnxCode()));
                        if (nb.getInputCount() > 2) nb.setInput(2, bf);
                        else nb.addInput(bf);
                    }
                    String yf = ed.uniqueName(out + "_int");
                    nb.setOutput(0, yf);
                    ed.replaceNode(nb.build());
                    String deq = ed.addInitializer(
                            name + "_deq_scale", Tensor.ofFloats(DequantShapes.of(lq), lq.deqScales()));
                    ed.addNode("Mul", name + "_dequant", List.of(yf, deq), List.of(out));
                    continue;
                }
                case AVERAGE_POOL -> {
                    String xf = dequantize(ed, xq, a.scale(), zp, name);
                    ed.replaceNode(node.toBuilder().setInput(0, xf).build());
                    continue;
                }
                default -> throw new IllegalStateException("unhandled layer type " + type);
            }
            if (lq.bias() != null) {
                long[] shape =
                        DequantShapes.channelShape(lq, Math.toIntExact(lq.bias().size()));
                String b = ed.addInitializer(name + "_bias_int32", lq.bias().reshape(shape));
                String sum = ed.uniqueName(out + "_biased");
                ed.addNode("Add", name + "_bias", List.of(acc, b), List.of(sum));
                acc = sum;
            }
            String f = ed.uniqueName(out + "_float");
            ed.addNode("Cast", name + "_cast", List.of(acc), List.of(f), Attributes.of("to", (long)
                    DataType.FLOAT.onnxCode()));
            String deq = ed.addInitializer(name + "_deq_scale", Tensor.ofFloats(DequantShapes.of(lq), lq.deqScales()));
            ed.addNode("Mul", name + "_dequant", List.of(f, deq), List.of(out));
        }
        ed.removeUnusedInitializers();
    }

    private static NodeProto retyped(
            NodeProto node, String op, List<String> in, String out, List<AttributeProto> attrs) {
        return NodeProto.newBuilder()
                .setName(node.getName())
                .setOpType(op)
                .addAllInput(in)
                .addOutput(out)
                .addAllAttribute(attrs)
                .build();
    }

    private static String quantize(GraphEditor ed, String x, ActivationParams a, String layer) {
        String inv = ed.addInitializer(layer + "_inv_scale_d", FakeQuantExporter.scalar(a.inverseScale()));
        String one = ed.addInitializer(layer + "_unit_scale", FakeQuantExporter.scalar(1f));
        String zp = ed.addInitializer(layer + "_zero_point", uint8Scalar(a.offset() + 128));
        String scaled = ed.uniqueName(x + "_scaled");
        String q = ed.uniqueName(x + "_int8");
        ed.addNode("Mul", layer + "_quant_scale", List.of(x, inv), List.of(scaled));
        ed.addNode("QuantizeLinear", layer + "_quant", List.of(scaled, one, zp), List.of(q));
        return q;
    }

    private static String dequantize(GraphEditor ed, String xq, float scale, String zp, String layer) {
        String s = ed.addInitializer(layer + "_dq_scale", FakeQuantExporter.scalar(scale));
        String out = ed.uniqueName(xq + "_dequant");
        ed.addNode("DequantizeLinear", layer + "_input_dequant", List.of(xq, s, zp), List.of(out));
        return out;
    }

    private static Tensor uint8Scalar(int v) {
        return Tensor.ofBytes(DataType.UINT8, new long[0], ByteBuffer.wrap(new byte[] {(byte) v}));
    }

    private static Tensor transpose2d(Tensor t) {
        long rows = t.dim(0);
        long cols = t.dim(1);
        byte[] src = t.bytes();
        byte[] dst = new byte[src.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                dst[(int) (c * rows + r)] = src[(int) (r * cols + c)];
            }
        }
        return Tensor.ofInt8(new long[] {cols, rows}, dst);
    }
}
