package io.quantserve.engine.quant;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.layers.QuantizableLayer;
import io.quantserve.engine.onnx.GraphScopes;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.engine.weights.Arq;
import io.quantserve.engine.weights.BiasOverflowPolicy;
import io.quantserve.engine.weights.BiasQuantizer;
import java.util.Optional;

/**
 * Derives a layer's INT8 weight and INT32 bias from its {@link LayerFactors} and the float model. The one path
 * from factors to exported integers, used both after calibration and when re-exporting from an (edited) record.
 */
public final class LayerQuantizations {
    private LayerQuantizations() {}

    /**
     * The weight and bias are read from the layer's own scope or, for a layer inside a subgraph, from the nearest
     * enclosing graph that holds them.
     *
     * @return the quantized layer, or empty when the bias overflows INT32 and the policy is {@code SKIP_LAYER}
     */
    public static Optional<LayerQuantization> build(
            OnnxModel model, QuantizableLayer layer, LayerFactors factors, BiasOverflowPolicy policy) {
        float[] scales = factors.weightScales();
        if (!layer.type().hasWeight()) {
            return Optional.of(new LayerQuantization(
                    layer, factors.activation(), new float[] {1f}, null, null, factors.balanceFactors()));
        }
        if (scales.length != 1 && scales.length != layer.outputChannels()) {
            throw new InvalidConfigException("layer '" + layer.name() + "': " + scales.length
                    + " scale_w values, expected 1 or " + layer.outputChannels());
        }
        Tensor weight = model.tensor(initializer(model, layer, layer.weight()));
        Tensor bias = null;
        if (layer.bias() != null) {
            Optional<BiasQuantizer.Result> b = BiasQuantizer.quantize(
                    layer,
                    model.tensor(initializer(model, layer, layer.bias())),
                    scales,
                    factors.activation().scale(),
                    policy);
            if (b.isEmpty()) {
                return Optional.empty();
            }
            bias = b.get().bias();
            scales = b.get().weightScales();
        }
        Tensor int8 = Arq.quantizeWith(layer, weight.toFloats(), weight.shape(), scales);
        return Optional.of(
                new LayerQuantization(layer, factors.activation(), scales, int8, bias, factors.balanceFactors()));
    }

    /** The initializer as seen from the layer's scope: its own subgraph first, then the enclosing graphs. */
    private static TensorProto initializer(OnnxModel model, QuantizableLayer layer, String name) {
        return GraphScopes.initializer(model.proto(), layer.scope(), name)
                .map(GraphScopes.ScopedInitializer::tensor)
                .orElseThrow(() -> new IllegalArgumentException("layer '" + layer.name() + "': no initializer '" + name
                        + "' visible from scope '" + layer.scope() + "'"));
    }
}
