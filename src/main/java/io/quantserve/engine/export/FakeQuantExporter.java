package io.quantserve.engine.export;

import io.quantserve.engine.onnx.GraphEditor;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.ScopedEdits;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.quant.ActivationParams;
import io.quantserve.engine.quant.LayerQuantization;
import io.quantserve.engine.tensor.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes AMCT's fake-quant model: an integer-exact simulation that runs in stock ONNX Runtime.
 *
 * <p>On each quantized layer's data input: {@code Mul(1/scale_d) → Round → Add(offset_d) → Clip(−128, 127) →
 * Sub(offset_d)}, giving the integer {@code q − offset_d} as float. The layer runs on integer-valued float weights
 * {@code round(W/scale_w)} and the float value of the INT32 bias, then {@code Mul(deq_scale)} restores float units
 * under the layer's original output name. Float accumulation of these integers is exact while the sum stays below
 * 2^24 in magnitude. Identical quantize chains on the same tensor are shared. Requires opset ≥ 11 (Round, Clip
 * with inputs).
 */
public final class FakeQuantExporter {
    private FakeQuantExporter() {}

    /**
     * Returns the fake-quant model; the input model is not changed. Each layer is edited in its own scope: the
     * quantize chain, integer weights and dequantization of a layer inside an {@code If}/{@code Loop}/{@code Scan}
     * body are added to that body, and a float weight it read from an enclosing graph is dropped there once
     * nothing else reads it.
     */
    public static OnnxModel export(OnnxModel fused, List<LayerQuantization> layers) {
        Map<String, List<LayerQuantization>> byScope = LayersByScope.group(layers);
        return fused.withProto(ScopedEdits.apply(
                fused.proto(), List.copyOf(byScope.keySet()), scope -> exportScope(scope, byScope.get(scope.path()))));
    }

    private static void exportScope(ScopedEdits.Scope scope, List<LayerQuantization> layers) {
        GraphEditor ed = scope.editor();
        Map<String, String> chains = new HashMap<>();
        for (LayerQuantization lq : layers) {
            NodeProto node = ed.node(lq.layer().name())
                    .orElseThrow(() -> new IllegalArgumentException(
                            "no node '" + lq.layer().name() + "'"));
            String x = node.getInput(0);
            ActivationParams a = lq.activation();
            String key = x + "|" + Float.floatToIntBits(a.scale()) + "|" + a.offset();
            String xq = chains.computeIfAbsent(
                    key, k -> quantizeChain(ed, x, a, lq.layer().name()));
            NodeProto.Builder nb = node.toBuilder().setInput(0, xq);
            if (lq.weight() != null) {
                releaseIfOuter(scope, node.getInput(1));
                nb.setInput(1, ed.addInitializer(node.getInput(1) + "_int", asFloat(lq.weight())));
            }
            if (lq.bias() != null) {
                if (nb.getInputCount() > 2) releaseIfOuter(scope, node.getInput(2));
                String b = ed.addInitializer(lq.layer().name() + "_bias_int", asFloat(lq.bias()));
                if (nb.getInputCount() > 2) nb.setInput(2, b);
                else nb.addInput(b);
            }
            String out = node.getOutput(0);
            String yInt = ed.uniqueName(out + "_int");
            nb.setOutput(0, yInt);
            ed.replaceNode(nb.build());
            String deq = ed.addInitializer(
                    lq.layer().name() + "_deq_scale", Tensor.ofFloats(DequantShapes.of(lq), lq.deqScales()));
            ed.addNode("Mul", lq.layer().name() + "_dequant", List.of(yInt, deq), List.of(out));
        }
        ed.removeUnusedInitializers();
    }

    /** A float weight or bias the layer read from an enclosing graph: that graph drops it if nothing else reads it. */
    static void releaseIfOuter(ScopedEdits.Scope scope, String initializer) {
        if (!scope.owns(initializer)) scope.release(initializer);
    }

    /** Adds the quantize chain for {@code x}; returns the name of its output. */
    static String quantizeChain(GraphEditor ed, String x, ActivationParams a, String layer) {
        String inv = ed.addInitializer(layer + "_inv_scale_d", scalar(a.inverseScale()));
        String off = ed.addInitializer(layer + "_offset_d", scalar(a.offset()));
        String lo = ed.addInitializer(layer + "_qmin", scalar(-128f));
        String hi = ed.addInitializer(layer + "_qmax", scalar(127f));
        String scaled = ed.uniqueName(x + "_scaled");
        String rounded = ed.uniqueName(x + "_rounded");
        String shifted = ed.uniqueName(x + "_shifted");
        String clipped = ed.uniqueName(x + "_clipped");
        String q = ed.uniqueName(x + "_quant");
        ed.addNode("Mul", layer + "_quant_scale", List.of(x, inv), List.of(scaled));
        ed.addNode("Round", layer + "_quant_round", List.of(scaled), List.of(rounded));
        ed.addNode("Add", layer + "_quant_offset", List.of(rounded, off), List.of(shifted));
        ed.addNode("Clip", layer + "_quant_clip", List.of(shifted, lo, hi), List.of(clipped));
        ed.addNode("Sub", layer + "_quant_unoffset", List.of(clipped, off), List.of(q));
        return q;
    }

    static Tensor scalar(float v) {
        return Tensor.ofFloats(new long[0], new float[] {v});
    }

    static Tensor asFloat(Tensor integers) {
        return Tensor.ofFloats(integers.shape(), integers.toFloats());
    }
}
