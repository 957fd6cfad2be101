package io.quantserve.service.models.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quantserve.engine.inspect.ModelInspection;
import io.quantserve.service.models.Model;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A stored model as the API shows it: file facts plus the engine's inspection.
 *
 * @param quantizable true when quantization would accept the model ({@code refusals} is empty) and it has at least
 *     one quantizable layer
 */
@Schema(name = "Model")
record ModelView(
        UUID id,
        String name,
        @JsonProperty("size_bytes") long sizeBytes,
        String sha256,
        long opset,
        @JsonProperty("ir_version") long irVersion,
        String producer,
        @JsonProperty("node_count") int nodeCount,
        List<ValueView> inputs,
        List<ValueView> outputs,
        @JsonProperty("quantizable_layers") List<LayerView> quantizableLayers,
        @JsonProperty("not_quantizable") List<FloatLayerView> notQuantizable,
        List<String> problems,
        List<String> refusals,
        boolean quantizable,
        @JsonProperty("created_at") Instant createdAt) {

    static ModelView of(Model m, ModelInspection i) {
        return new ModelView(
                m.id(),
                m.name(),
                m.sizeBytes(),
                m.sha256(),
                i.opset(),
                i.irVersion(),
                i.producer(),
                i.nodeCount(),
                i.inputs().stream().map(ValueView::of).toList(),
                i.outputs().stream().map(ValueView::of).toList(),
                i.quantizableLayers().stream().map(LayerView::of).toList(),
                i.notQuantizable().stream().map(FloatLayerView::of).toList(),
                i.problems(),
                i.refusals(),
                i.refusals().isEmpty() && !i.quantizableLayers().isEmpty(),
                m.createdAt());
    }

    /**
     * A graph input or output.
     *
     * @param dtype NumPy spelling ({@code float32}, {@code int64})
     * @param shape dimension sizes in decimal, symbolic names, or {@code ?}
     */
    @Schema(name = "ValueInfo")
    record ValueView(String name, String dtype, List<String> shape) {
        static ValueView of(ModelInspection.ValueDescription v) {
            return new ValueView(v.name(), v.dtype(), v.shape());
        }
    }

    /**
     * A layer quantization would quantize.
     *
     * @param scope empty for the main graph, else the subgraph path
     */
    @Schema(name = "QuantizableLayer")
    record LayerView(
            String name,
            @JsonProperty("op_type") String opType,
            String scope,
            @JsonProperty("weight_shape") List<Long> weightShape) {
        static LayerView of(ModelInspection.LayerDescription l) {
            return new LayerView(l.name(), l.opType(), l.scope(), l.weightShape());
        }
    }

    /** A node of a quantizable kind that stays in float, and why. */
    @Schema(name = "FloatLayer")
    record FloatLayerView(
            String name, @JsonProperty("op_type") String opType, String scope, String reason) {
        static FloatLayerView of(io.quantserve.engine.layers.SkippedNode s) {
            return new FloatLayerView(s.name(), s.opType(), s.scope(), s.reason());
        }
    }
}
