package io.quantserve.engine.onnx;

import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.FunctionProto;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.SparseTensorProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import java.util.function.UnaryOperator;

/**
 * Visits every {@code TensorProto} a model stores: initializers, sparse initializers, tensor attributes of
 * nodes, in subgraphs ({@code If}/{@code Loop}/{@code Scan} bodies) and in model-local functions, in a fixed order.
 */
public final class ModelTensors {
    private ModelTensors() {}

    /** Returns the model with {@code f} applied to each stored tensor. */
    public static ModelProto rewrite(ModelProto model, UnaryOperator<TensorProto> f) {
        ModelProto.Builder b = model.toBuilder();
        if (model.hasGraph()) {
            b.setGraph(rewrite(model.getGraph(), f));
        }
        for (int i = 0; i < b.getFunctionsCount(); i++) {
            FunctionProto.Builder fn = b.getFunctions(i).toBuilder();
            for (int n = 0; n < fn.getNodeCount(); n++) {
                fn.setNode(n, rewrite(fn.getNode(n), f));
            }
            b.setFunctions(i, fn);
        }
        return b.build();
    }

    public static GraphProto rewrite(GraphProto graph, UnaryOperator<TensorProto> f) {
        GraphProto.Builder g = graph.toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            g.setInitializer(i, f.apply(g.getInitializer(i)));
        }
        for (int i = 0; i < g.getSparseInitializerCount(); i++) {
            g.setSparseInitializer(i, rewrite(g.getSparseInitializer(i), f));
        }
        for (int i = 0; i < g.getNodeCount(); i++) {
            g.setNode(i, rewrite(g.getNode(i), f));
        }
        return g.build();
    }

    private static SparseTensorProto rewrite(SparseTensorProto s, UnaryOperator<TensorProto> f) {
        SparseTensorProto.Builder b = s.toBuilder();
        if (s.hasValues()) b.setValues(f.apply(s.getValues()));
        if (s.hasIndices()) b.setIndices(f.apply(s.getIndices()));
        return b.build();
    }

    private static NodeProto rewrite(NodeProto node, UnaryOperator<TensorProto> f) {
        boolean touched = false;
        for (AttributeProto a : node.getAttributeList()) {
            if (a.hasT()
                    || a.getTensorsCount() > 0
                    || a.hasG()
                    || a.getGraphsCount() > 0
                    || a.hasSparseTensor()
                    || a.getSparseTensorsCount() > 0) {
                touched = true;
                break;
            }
        }
        if (!touched) {
            return node;
        }
        NodeProto.Builder nb = node.toBuilder();
        for (int i = 0; i < nb.getAttributeCount(); i++) {
            AttributeProto.Builder a = nb.getAttribute(i).toBuilder();
            if (a.hasT()) a.setT(f.apply(a.getT()));
            for (int k = 0; k < a.getTensorsCount(); k++) a.setTensors(k, f.apply(a.getTensors(k)));
            if (a.hasG()) a.setG(rewrite(a.getG(), f));
            for (int k = 0; k < a.getGraphsCount(); k++) a.setGraphs(k, rewrite(a.getGraphs(k), f));
            if (a.hasSparseTensor()) a.setSparseTensor(rewrite(a.getSparseTensor(), f));
            for (int k = 0; k < a.getSparseTensorsCount(); k++) {
                a.setSparseTensors(k, rewrite(a.getSparseTensors(k), f));
            }
            nb.setAttribute(i, a);
        }
        return nb.build();
    }

    /** Calls {@code visitor} on every stored tensor (read-only walk). */
    public static void forEach(ModelProto model, java.util.function.Consumer<TensorProto> visitor) {
        rewrite(model, t -> {
            visitor.accept(t);
            return t;
        });
    }
}
