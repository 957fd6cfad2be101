package io.quantserve.engine.inspect;

import io.quantserve.engine.layers.SkippedNode;
import java.util.List;

/**
 * What {@link ModelInspector#inspect} found out about a model, as plain records (serialisable to JSON as is).
 *
 * @param inputs the model's real inputs (initializers listed as inputs are not among them)
 * @param outputs the model's outputs
 * @param opset the ai.onnx opset the model imports (1 when it imports none)
 * @param irVersion the model's {@code ir_version} as stored
 * @param producer {@code producer_name} and {@code producer_version} joined by a space; empty when unstated
 * @param nodeCount nodes of the model as stored, subgraph nodes included
 * @param quantizableLayers the layers a quantization run would quantize, in graph order, named as after
 *     normalisation
 * @param notQuantizable nodes of a quantizable op type that stay in float, with the reason
 * @param problems everything the inspection noticed, one sentence each: the changes normalisation would make
 *     (renamed nodes, folded {@code Constant} weights, initializers listed as inputs), followed by the refusals
 * @param refusals the subset of {@code problems} for which quantization refuses the model (already quantized,
 *     float16, unsupported opset); empty when the model can be quantized
 */
public record ModelInspection(
        List<ValueDescription> inputs,
        List<ValueDescription> outputs,
        long opset,
        long irVersion,
        String producer,
        int nodeCount,
        List<LayerDescription> quantizableLayers,
        List<SkippedNode> notQuantizable,
        List<String> problems,
        List<String> refusals) {

    public ModelInspection {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        quantizableLayers = List.copyOf(quantizableLayers);
        notQuantizable = List.copyOf(notQuantizable);
        problems = List.copyOf(problems);
        refusals = List.copyOf(refusals);
    }

    /**
     * A graph input or output.
     *
     * @param dtype element type in NumPy spelling ({@code float32}, {@code int64}); non-tensor values are spelled
     *     {@code sequence<float32>}, {@code map<int64,float32>}, {@code optional<…>}
     * @param shape one entry per dimension: the size in decimal ({@code "3"}), the symbolic name
     *     ({@code "batch_size"}), or {@code "?"} when unknown; empty for scalars and for values without a declared
     *     shape
     */
    public record ValueDescription(String name, String dtype, List<String> shape) {
        public ValueDescription {
            shape = List.copyOf(shape);
        }
    }

    /**
     * A quantizable layer.
     *
     * @param scope empty for the main graph, else the subgraph path, e.g. {@code If_0/then_branch}
     * @param weightShape dimensions of the weight tensor; empty for activation-only layers (AveragePool)
     */
    public record LayerDescription(String name, String opType, String scope, List<Long> weightShape) {
        public LayerDescription {
            weightShape = List.copyOf(weightShape);
        }
    }
}
