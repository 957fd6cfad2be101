package io.quantserve.engine.balance;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.layers.LayerFinder;
import io.quantserve.engine.layers.LayerScan;
import io.quantserve.engine.layers.QuantizableLayer;
import io.quantserve.engine.onnx.GraphEditor;
import io.quantserve.engine.onnx.GraphScopes;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.quant.LayerFactors;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.engine.weights.InputChannelLayout;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a float model with DMQ balance factors, as AMCT's {@code ApplyDMQBalancerPass} does: for each balanced
 * layer, a {@code Mul(x, 1/s)} is inserted on its data input (the factor shaped {@code [C, 1, …]} for convolutions,
 * {@code [C]} for Gemm/MatMul, so it broadcasts over the channel axis) and the layer reads the product; its weight
 * initializer is multiplied by {@code s_j} along the input-channel axis, in place. Other readers of {@code x} are
 * untouched, and two balanced layers reading the same tensor each get their own {@code Mul}. The model computes the
 * same function: exactly so for power-of-two factors ({@link DmqFactors}), up to float rounding for factors edited
 * into a record. Quantization then sees the balanced layer input and weight.
 */
public final class DmqBalancer {
    private DmqBalancer() {}

    /**
     * Returns the balanced model; the input model is not changed and is returned as is when {@code factors} is
     * empty.
     *
     * @param factors layer name → one factor per input channel, in the order the layers are balanced
     * @throws InvalidConfigException when a name is not a quantizable main-graph layer with a weight, or the factors
     *     do not fit it (count, or outside {@code [FLT_EPSILON, 1/FLT_EPSILON]})
     */
    public static OnnxModel apply(OnnxModel model, Map<String, float[]> factors) {
        if (factors.isEmpty()) return model;
        LayerScan scan = LayerFinder.scan(model.proto());
        GraphEditor editor = new GraphEditor(model.proto().getGraph(), GraphScopes.allNames(model.proto()));
        for (Map.Entry<String, float[]> e : factors.entrySet()) {
            String name = e.getKey();
            float[] f = e.getValue();
            QuantizableLayer layer = scan.layer(name)
                    .orElseThrow(() -> new InvalidConfigException("DMQ balance factors are given for '" + name
                            + "', which is not a quantizable layer of the model"));
            if (!layer.inMainGraph() || !layer.type().hasWeight()) {
                throw new InvalidConfigException("layer '" + name + "' cannot be DMQ-balanced: only Conv,"
                        + " ConvTranspose, Gemm and MatMul layers of the main graph can");
            }
            InputChannelLayout layout = new InputChannelLayout(layer);
            if (f.length != layout.channels()) {
                throw new InvalidConfigException("layer '" + name + "': " + f.length
                        + " tensor_balance_factor values for " + layout.channels() + " input channels");
            }
            for (int c = 0; c < f.length; c++) {
                if (!LayerFactors.validBalanceFactor(f[c])) {
                    throw new InvalidConfigException("layer '" + name + "': tensor_balance_factor[" + c + "] = " + f[c]
                            + " is outside [FLT_EPSILON, 1/FLT_EPSILON]");
                }
            }
            balance(model, editor, layer, layout, f);
        }
        return model.withProto(
                model.proto().toBuilder().setGraph(editor.build()).build());
    }

    private static void balance(
            OnnxModel model, GraphEditor editor, QuantizableLayer layer, InputChannelLayout layout, float[] f) {
        String name = layer.name();
        NodeProto node = editor.node(name).orElseThrow(() -> new IllegalStateException("no node '" + name + "'"));
        String weightName = layer.weight();
        TensorProto weightProto = editor.initializer(weightName)
                .orElseThrow(() -> new IllegalStateException(
                        "layer '" + name + "': weight '" + weightName + "' is not a main-graph initializer"));
        Tensor weight = model.tensor(weightProto);
        float[] w = weight.toFloats();
        for (int i = 0; i < w.length; i++) w[i] *= f[layout.channelOf(i)];
        editor.replaceInitializer(weightName, Tensor.ofFloats(weight.shape(), w));

        float[] inverse = new float[f.length];
        for (int c = 0; c < f.length; c++) inverse[c] = 1f / f[c];
        String factor =
                editor.addInitializer(name + "_dmq_inverse_factor", Tensor.ofFloats(layout.factorShape(), inverse));
        String x = node.getInput(0);
        String balanced = editor.uniqueName(x + "_dmq_" + name);
        editor.addNode("Mul", name + "_dmq_balance", List.of(x, factor), List.of(balanced));
        editor.replaceNode(node.toBuilder().setInput(0, balanced).build());
    }
}
