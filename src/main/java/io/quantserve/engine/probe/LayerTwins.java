package io.quantserve.engine.probe;

import io.quantserve.engine.export.FakeQuantExporter;
import io.quantserve.engine.layers.QuantizableLayer;
import io.quantserve.engine.onnx.GraphEditor;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.ScopedEdits;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.quant.LayerQuantization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the float model with every given layer also computed alone: each layer node gets a twin, in the same
 * scope, that reads the same float input and is fake-quantized exactly as in the fake-quant model
 * ({@link FakeQuantExporter}); the original nodes, and so every float tensor, stay as they were. One run of this
 * model gives each layer's float input and output and its output with only that layer quantized, whose error is
 * the layer's own, free of the error of the layers before it.
 */
public final class LayerTwins {
    private LayerTwins() {}

    /**
     * @param model the float model with twins
     * @param twinOutputs layer name → the twin's output tensor
     */
    public record Probe(OnnxModel model, Map<String, String> twinOutputs) {
        public Probe {
            twinOutputs = Map.copyOf(twinOutputs);
        }
    }

    /**
     * The float model with a twin of each of {@code layers}, quantized with that layer's factors.
     *
     * @param suffix appended to each twin's node and output name (made unique)
     */
    public static Probe build(OnnxModel floatModel, List<LayerQuantization> layers, String suffix) {
        Map<String, List<LayerQuantization>> byScope = new LinkedHashMap<>();
        for (LayerQuantization lq : layers) {
            byScope.computeIfAbsent(lq.layer().scope(), k -> new ArrayList<>()).add(lq);
        }
        List<LayerQuantization> twins = new ArrayList<>();
        Map<String, String> outputs = new LinkedHashMap<>();
        ModelProto withTwins = ScopedEdits.apply(floatModel.proto(), List.copyOf(byScope.keySet()), scope -> {
            GraphEditor ed = scope.editor();
            for (LayerQuantization lq : byScope.get(scope.path())) {
                QuantizableLayer l = lq.layer();
                NodeProto node = ed.node(l.name())
                        .orElseThrow(() -> new IllegalArgumentException(
                                "no node '" + l.name() + "' in scope '" + scope.path() + "'"));
                String out = ed.uniqueName(node.getOutput(0) + suffix);
                NodeProto twin = ed.addNode(
                        node.getOpType(),
                        node.getDomain(),
                        l.name() + suffix,
                        node.getInputList(),
                        List.of(out),
                        node.getAttributeList());
                QuantizableLayer twinLayer = new QuantizableLayer(
                        twin.getName(),
                        l.type(),
                        l.scope(),
                        l.dataInput(),
                        l.weight(),
                        l.bias(),
                        l.weightShape(),
                        l.group(),
                        l.transB());
                twins.add(new LayerQuantization(twinLayer, lq.activation(), lq.weightScales(), lq.weight(), lq.bias()));
                outputs.put(l.name(), out);
            }
        });
        return new Probe(FakeQuantExporter.export(floatModel.withProto(withTwins), twins), outputs);
    }
}
