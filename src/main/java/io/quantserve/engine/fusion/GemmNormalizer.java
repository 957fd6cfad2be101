package io.quantserve.engine.fusion;

import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.GraphEditor;
import io.quantserve.engine.onnx.GraphScopes;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.ScopedEdits;
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
 * Gemms inside {@code If}/{@code Loop}/{@code Scan} bodies are rewritten too (their constants may sit in an
 * enclosing graph; the scaled copies go into the Gemm's own body).
 */
public final class GemmNormalizer {
    private GemmNormalizer() {}

    public static OnnxModel apply(OnnxModel model) {
        List<String> scopes = new ArrayList<>();
        for (String scope : GraphScopes.all(model.proto())) {
            if (GraphScopes.graph(model.proto(), scope).getNodeList().stream().anyMatch(GemmNormalizer::scaled)) {
                scopes.add(scope);
            }
        }
        if (scopes.isEmpty()) return model;
        return model.withProto(ScopedEdits.apply(model.proto(), scopes, scope -> normalize(scope, model)));
    }

    private static boolean scaled(NodeProto n) {
        return n.getOpType().equals("Gemm")
                && n.getDomain().isEmpty()
                && (Attributes.getFloat(n, "alpha", 1f) != 1f || Attributes.getFloat(n, "beta", 1f) != 1f);
    }

    private static void normalize(ScopedEdits.Scope scope, OnnxModel model) {
        GraphEditor editor = scope.editor();
        boolean changed = false;
        for (NodeProto n : editor.nodes()) {
            if (!scaled(n)) continue;
            float alpha = Attributes.getFloat(n, "alpha", 1f);
            float beta = Attributes.getFloat(n, "beta", 1f);
            Optional<TensorProto> b = constant(scope, n.getInput(1));
            boolean hasC = n.getInputCount() > 2 && !n.getInput(2).isEmpty();
            Optional<TensorProto> c = hasC ? constant(scope, n.getInput(2)) : Optional.empty();
            if (b.isEmpty()
                    || (hasC && c.isEmpty())
                    || editor.consumers(n.getInput(1)).size() != 1) continue;
            NodeProto.Builder nb = n.toBuilder();
            nb.setInput(1, editor.addInitializer(n.getInput(1) + "_scaled", scale(model.tensor(b.get()), alpha)));
            if (!scope.owns(n.getInput(1))) scope.release(n.getInput(1));
            if (hasC) {
                nb.setInput(2, editor.addInitializer(n.getInput(2) + "_scaled", scale(model.tensor(c.get()), beta)));
                if (!scope.owns(n.getInput(2))) scope.release(n.getInput(2));
            }
            List<AttributeProto> attrs = new ArrayList<>(nb.getAttributeList());
            attrs.removeIf(a -> a.getName().equals("alpha") || a.getName().equals("beta"));
            nb.clearAttribute().addAllAttribute(attrs);
            editor.replaceNode(nb.build());
            changed = true;
        }
        if (changed) editor.removeUnusedInitializers();
    }

    /** An initializer visible from the scope: its own, else the nearest enclosing graph's. */
    private static Optional<TensorProto> constant(ScopedEdits.Scope scope, String name) {
        return scope.initializer(name).map(GraphScopes.ScopedInitializer::tensor);
    }

    private static Tensor scale(Tensor t, float factor) {
        float[] v = t.toFloats();
        for (int i = 0; i < v.length; i++) v[i] *= factor;
        return Tensor.ofFloats(t.shape(), v);
    }
}
