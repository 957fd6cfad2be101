package io.quantserve.engine.fusion;

import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.GraphEditor;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rewrites {@code Gemm(alpha ≠ 1 or beta ≠ 1)} with constant B (and C) into {@code alpha = beta = 1} by scaling the
 * constants: {@code alpha·A·B + beta·C = A·(alpha·B) + (beta·C)}. Quantization then sees the effective weight.
 */
public final class GemmNormalizer {
    private GemmNormalizer() {}

    public static OnnxModel apply(OnnxModel model) {
        GraphEditor editor = new GraphEditor(model.proto().getGraph());
        boolean changed = false;
        for (NodeProto n : editor.nodes()) {
            if (!n.getOpType().equals("Gemm") || !n.getDomain().isEmpty()) continue;
            float alpha = Attributes.getFloat(n, "alpha", 1f);
            float beta = Attributes.getFloat(n, "beta", 1f);
            if (alpha == 1f && beta == 1f) continue;
            Optional<TensorProto> b = editor.initializer(n.getInput(1));
            boolean hasC = n.getInputCount() > 2 && !n.getInput(2).isEmpty();
            Optional<TensorProto> c = hasC ? editor.initializer(n.getInput(2)) : Optional.empty();
            if (b.isEmpty()
                    || (hasC && c.isEmpty())
                    || editor.consumers(n.getInput(1)).size() != 1) continue;
            NodeProto.Builder nb = n.toBuilder();
            nb.setInput(1, editor.addInitializer(n.getInput(1) + "_scaled", scale(model.tensor(b.get()), alpha)));
            if (hasC) {
                nb.setInput(2, editor.addInitializer(n.getInput(2) + "_scaled", scale(model.tensor(c.get()), beta)));
            }
            List<AttributeProto> attrs = new ArrayList<>(nb.getAttributeList());
            attrs.removeIf(a -> a.getName().equals("alpha") || a.getName().equals("beta"));
            nb.clearAttribute().addAllAttribute(attrs);
            editor.replaceNode(nb.build());
            changed = true;
        }
        if (!changed) return model;
        editor.removeUnusedInitializers();
        return model.withProto(
                model.proto().toBuilder().setGraph(editor.build()).build());
    }

    private static Tensor scale(Tensor t, float factor) {
        float[] v = t.toFloats();
        for (int i = 0; i < v.length; i++) v[i] *= factor;
        return Tensor.ofFloats(t.shape(), v);
    }
}
