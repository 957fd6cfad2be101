package io.quantserve.engine.inspect;

import io.quantserve.engine.inspect.ModelInspection.LayerDescription;
import io.quantserve.engine.inspect.ModelInspection.ValueDescription;
import io.quantserve.engine.layers.LayerFinder;
import io.quantserve.engine.layers.LayerScan;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorShapeProto;
import io.quantserve.engine.onnx.proto.Onnx.TypeProto;
import io.quantserve.engine.onnx.proto.Onnx.ValueInfoProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Describes a model for users and for the model registry: inputs and outputs, opset, producer, the layers a
 * quantization run would quantize (found on the normalised graph, so weights in {@code Constant} nodes and layers
 * in subgraphs count) and every problem normalisation would fix or refuse. Never throws for a model that is
 * refused (already quantized, float16, unsupported opset): the refusal is reported instead.
 */
public final class ModelInspector {
    private ModelInspector() {}

    /**
     * Inspects {@code model} without changing it. Throws only where the model cannot be read at all; a model that
     * quantization would refuse yields an inspection whose {@link ModelInspection#refusals()} say why.
     */
    public static ModelInspection inspect(OnnxModel model) {
        ModelProto original = model.proto();
        NormalizedModel normalized = ModelNormalizer.rewrite(model);
        ModelProto prepared = normalized.model().proto();
        List<String> refusals = ModelRefusals.find(prepared);
        List<String> problems = new ArrayList<>(normalized.changes());
        problems.addAll(refusals);
        LayerScan scan = LayerFinder.scan(prepared);
        List<LayerDescription> layers = scan.layers().stream()
                .map(l -> new LayerDescription(
                        l.name(),
                        l.type().opType(),
                        l.scope(),
                        Arrays.stream(l.weightShape()).boxed().toList()))
                .toList();
        String producer = (original.getProducerName() + " " + original.getProducerVersion()).strip();
        return new ModelInspection(
                prepared.getGraph().getInputList().stream()
                        .map(ModelInspector::describe)
                        .toList(),
                prepared.getGraph().getOutputList().stream()
                        .map(ModelInspector::describe)
                        .toList(),
                OnnxModel.opset(original),
                original.getIrVersion(),
                producer,
                countNodes(original.getGraph()),
                layers,
                scan.skipped(),
                problems,
                refusals);
    }

    private static ValueDescription describe(ValueInfoProto v) {
        TypeProto t = v.getType();
        List<String> shape = t.hasTensorType() && t.getTensorType().hasShape()
                ? dims(t.getTensorType().getShape())
                : List.of();
        return new ValueDescription(v.getName(), typeName(t), shape);
    }

    private static List<String> dims(TensorShapeProto shape) {
        return shape.getDimList().stream()
                .map(d -> {
                    if (d.hasDimValue() && d.getDimValue() >= 0) return Long.toString(d.getDimValue());
                    if (d.hasDimParam() && !d.getDimParam().isEmpty()) return d.getDimParam();
                    return "?";
                })
                .toList();
    }

    private static String typeName(TypeProto t) {
        return switch (t.getValueCase()) {
            case TENSOR_TYPE -> Phrases.typeName(t.getTensorType().getElemType());
            case SPARSE_TENSOR_TYPE ->
                "sparse<" + Phrases.typeName(t.getSparseTensorType().getElemType()) + ">";
            case SEQUENCE_TYPE -> "sequence<" + typeName(t.getSequenceType().getElemType()) + ">";
            case OPTIONAL_TYPE -> "optional<" + typeName(t.getOptionalType().getElemType()) + ">";
            case MAP_TYPE ->
                "map<" + Phrases.typeName(t.getMapType().getKeyType()) + ","
                        + typeName(t.getMapType().getValueType()) + ">";
            case OPAQUE_TYPE ->
                "opaque<" + t.getOpaqueType().getDomain() + "."
                        + t.getOpaqueType().getName() + ">";
            case VALUE_NOT_SET -> "?";
        };
    }

    private static int countNodes(GraphProto g) {
        int n = g.getNodeCount();
        for (NodeProto node : g.getNodeList()) {
            for (AttributeProto a : node.getAttributeList()) {
                if (a.hasG()) n += countNodes(a.getG());
                for (GraphProto sub : a.getGraphsList()) n += countNodes(sub);
            }
        }
        return n;
    }
}
