package io.quantserve.engine.export;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.LayerQuantizationException;
import io.quantserve.engine.layers.QuantizableLayer;
import io.quantserve.engine.onnx.GraphEditor;
import io.quantserve.engine.onnx.GraphScopes;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.ScopedEdits;
import io.quantserve.engine.onnx.TensorProtos;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.quant.LayerQuantization;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Builds AMCT's Ascend deploy model ({@code <name>_deploy_model.onnx}) from the fused float model and the
 * quantized layers. For each layer, in list order:
 *
 * <ol>
 *   <li>its data input is read through an {@code AscendQuant} ({@code scale = 1/scale_d},
 *       {@code offset = offset_d}); layers reading the same tensor with the same factors (same float bits)
 *       share one AscendQuant node;
 *   <li>its weight initializer is replaced, under the same name and in the layer's own layout (Gemm with
 *       {@code transB} keeps {@code [N, K]}), by the INT8 weight, and its bias by the INT32 bias;
 *   <li>its output is renamed and an {@code AscendDequant(y_int32, deq_scale)} writes the original output
 *       name, so every reader (and graph output) is unchanged. {@code deq_scale} is a uint64 initializer, one
 *       value per {@code scale_w} ({@code [C]} per channel, {@code [1]} per tensor), encoded by
 *       {@link AscendOps#encodeDeqScale}.
 * </ol>
 *
 * AveragePool gets the same AscendQuant/AscendDequant pair with {@code deq_scale = scale_d} ({@code scale_w}
 * must be {@code [1]}) and no weights. Attribute spellings and the reasons for them are on {@link AscendOps}.
 * All edits go through {@link GraphEditor}, so new names are unique and the node order is deterministic.
 *
 * <p>A layer inside an {@code If}/{@code Loop}/{@code Scan} body is exported in that body: its AscendQuant,
 * AscendDequant and {@code deq_scale} go there, and so do its INT8 weight and INT32 bias, under the float
 * initializers' names; a float weight or bias read from an enclosing graph is removed there once nothing else
 * reads it. Initializers that a model also lists as graph inputs (IR &lt; 4 style) lose that listing when
 * replaced, since the listed float type would no longer match.
 */
public final class DeployExporter {
    private DeployExporter() {}

    /**
     * Returns the deploy model; the input model is not changed.
     *
     * @param fused the float model after BN fusion, with unique node names
     * @param layers the quantized layers (see {@link LayerQuantization}); empty means calibration never
     *     finished, which is an error as in AMCT
     */
    public static OnnxModel export(OnnxModel fused, List<LayerQuantization> layers) {
        if (layers.isEmpty()) {
            throw new InvalidConfigException("no layer has quantization factors: calibration not finished "
                    + "(the record is empty), so there is no deploy model to export");
        }
        Set<String> seen = new HashSet<>();
        for (LayerQuantization q : layers) {
            if (!seen.add(q.layer().name())) {
                throw new InvalidConfigException("layer '" + q.layer().name() + "' is quantized twice");
            }
        }
        Map<String, List<LayerQuantization>> byScope = LayersByScope.group(layers);
        return fused.withProto(ScopedEdits.apply(fused.proto(), List.copyOf(byScope.keySet()), scope -> {
            Map<QuantKey, String> quantOutputs = new HashMap<>();
            for (LayerQuantization q : byScope.get(scope.path())) {
                exportLayer(scope, q, quantOutputs);
            }
        }));
    }

    /** One AscendQuant per (tensor, scale bits, offset). */
    private record QuantKey(String tensor, int scaleBits, int offset) {}

    private static void exportLayer(ScopedEdits.Scope scope, LayerQuantization q, Map<QuantKey, String> quantOutputs) {
        GraphEditor editor = scope.editor();
        QuantizableLayer layer = q.layer();
        String name = layer.name();
        NodeProto node = editor.node(name)
                .orElseThrow(() -> new InvalidModelException("layer '" + name + "' is not a node of "
                        + (scope.path().isEmpty() ? "the model's main graph" : "subgraph '" + scope.path() + "'")
                        + "; was the record made for another model?"));
        if (!node.getOpType().equals(layer.type().opType())) {
            throw new InvalidModelException("layer '" + name + "' is a " + node.getOpType() + " node, but was "
                    + "quantized as " + layer.type().opType());
        }
        if (node.getInputCount() == 0 || !node.getInput(0).equals(layer.dataInput())) {
            throw new InvalidModelException(
                    "layer '" + name + "' no longer reads its data input '" + layer.dataInput() + "'");
        }
        if (node.getOutputCount() != 1 || node.getOutput(0).isEmpty()) {
            throw new InvalidModelException("layer '" + name + "' must have exactly one output");
        }
        float[] deqScales = checkedDeqScales(q);
        replaceWeights(scope, q);

        float inverse = q.activation().inverseScale();
        QuantKey key = new QuantKey(
                layer.dataInput(),
                Float.floatToRawIntBits(inverse),
                q.activation().offset());
        String quantized = quantOutputs.computeIfAbsent(key, k -> {
            String out = editor.uniqueName(name + ".quant.output0");
            editor.addNode(
                    AscendOps.QUANT,
                    "",
                    name + ".quant",
                    List.of(k.tensor()),
                    List.of(out),
                    AscendOps.quantAttributes(inverse, k.offset()));
            return out;
        });

        String original = node.getOutput(0);
        String int32 = editor.uniqueName(name + ".dequant.input0");
        editor.replaceNode(
                node.toBuilder().setInput(0, quantized).setOutput(0, int32).build());
        String param = editor.addInitializer(name + ".dequant.param", packDeqScales(deqScales));
        editor.addNode(
                AscendOps.DEQUANT,
                "",
                name + ".dequant",
                List.of(int32, param),
                List.of(original),
                AscendOps.dequantAttributes());
    }

    /** Checks the factors against the layer and returns {@code scale_d * scale_w[c]} (all finite, &gt; 0). */
    private static float[] checkedDeqScales(LayerQuantization q) {
        QuantizableLayer layer = q.layer();
        float[] scaleW = q.weightScales();
        if (scaleW.length == 0) {
            throw fail(layer, "has no weight scale (scale_w)");
        }
        if (layer.type().hasWeight()) {
            long channels = layer.outputChannels();
            if (scaleW.length != 1 && scaleW.length != channels) {
                throw fail(layer, scaleW.length + " weight scales for " + channels + " output channels");
            }
        } else if (scaleW.length != 1 || scaleW[0] != 1f) {
            throw fail(layer, "is activation-only, so scale_w must be [1], got " + Arrays.toString(scaleW));
        }
        float[] deq = q.deqScales();
        for (int c = 0; c < deq.length; c++) {
            if (!(deq[c] > 0) || !Float.isFinite(deq[c])) {
                throw fail(
                        layer,
                        "deq_scale[" + c + "] = scale_d * scale_w = "
                                + q.activation().scale() + " * " + scaleW[c] + " is " + deq[c]
                                + " in float32; skip this layer");
            }
        }
        return deq;
    }

    private static void replaceWeights(ScopedEdits.Scope scope, LayerQuantization q) {
        QuantizableLayer layer = q.layer();
        if (!layer.type().hasWeight()) {
            if (q.weight() != null || q.bias() != null) {
                throw fail(layer, "is activation-only but was given a quantized weight or bias");
            }
            return;
        }
        String weightName = layer.weight();
        Tensor weight = q.weight();
        if (weightName == null || weight == null) {
            throw fail(layer, "has no INT8 weight");
        }
        TensorProto original = scope.initializer(weightName)
                .map(GraphScopes.ScopedInitializer::tensor)
                .orElseThrow(() -> fail(
                        layer,
                        "weight '" + weightName + "' is not an initializer visible from "
                                + (scope.path().isEmpty() ? "the main graph" : "subgraph '" + scope.path() + "'")));
        long[] dims = original.getDimsList().stream().mapToLong(Long::longValue).toArray();
        if (weight.type() != DataType.INT8 || !Arrays.equals(weight.shape(), dims)) {
            throw fail(
                    layer,
                    "quantized weight is " + weight + " but must be int8" + Arrays.toString(dims)
                            + " (the float weight's shape)");
        }
        replace(scope, weightName, weight);

        String biasName = layer.bias();
        @Nullable Tensor bias = q.bias();
        if (biasName == null) {
            if (bias != null) throw fail(layer, "has no bias input but was given a quantized bias");
            return;
        }
        if (bias == null) {
            throw fail(layer, "has bias '" + biasName + "' but no INT32 bias was given");
        }
        if (bias.type() != DataType.INT32 || bias.size() != layer.outputChannels()) {
            throw fail(
                    layer,
                    "quantized bias is " + bias + " but must be int32 with one value per output channel ("
                            + layer.outputChannels() + ")");
        }
        if (scope.initializer(biasName).isEmpty()) {
            throw fail(layer, "bias '" + biasName + "' is not an initializer visible from its scope");
        }
        replace(scope, biasName, bias);
    }

    /**
     * Stores {@code value} under {@code name} in the scope's own graph: in place when the scope holds the float
     * initializer, else added to the scope and the enclosing graph's float initializer released.
     */
    private static void replace(ScopedEdits.Scope scope, String name, Tensor value) {
        GraphEditor editor = scope.editor();
        if (!scope.owns(name)) {
            editor.putInitializer(TensorProtos.fromTensor(name, value));
            scope.release(name);
            return;
        }
        boolean listedAsInput =
                editor.inputs().stream().anyMatch(v -> v.getName().equals(name));
        if (listedAsInput) {
            editor.removeInitializer(name);
            editor.putInitializer(TensorProtos.fromTensor(name, value));
        } else {
            editor.replaceInitializer(name, value);
        }
    }

    private static Tensor packDeqScales(float[] deq) {
        ByteBuffer b = ByteBuffer.allocate(deq.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (float d : deq) b.putLong(AscendOps.encodeDeqScale(d));
        b.flip();
        return Tensor.ofBytes(DataType.UINT64, new long[] {deq.length}, b);
    }

    private static LayerQuantizationException fail(QuantizableLayer layer, String message) {
        return new LayerQuantizationException("deploy-export", layer.name(), message);
    }
}
