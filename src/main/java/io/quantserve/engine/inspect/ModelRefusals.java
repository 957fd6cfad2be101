package io.quantserve.engine.inspect;

import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import java.util.ArrayList;
import java.util.List;

/** The reasons the engine refuses to quantize a (normalised) model; each is one or two plain sentences. */
final class ModelRefusals {
    private ModelRefusals() {}

    /** Opset outside the supported range, already quantized, float16 — in that order; empty when none applies. */
    static List<String> find(ModelProto model) {
        List<String> out = new ArrayList<>();
        boolean imports = model.getOpsetImportList().stream()
                .anyMatch(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"));
        long opset = OnnxModel.opset(model);
        if (!imports) {
            out.add("unsupported opset: the model imports no ai.onnx opset, QuantServe needs one of opsets "
                    + ModelNormalizer.MIN_OPSET + " to " + ModelNormalizer.MAX_OPSET + ".");
        } else if (opset < ModelNormalizer.MIN_OPSET || opset > ModelNormalizer.MAX_OPSET) {
            out.add("unsupported opset: the model imports ai.onnx opset " + opset + ", QuantServe accepts opsets "
                    + ModelNormalizer.MIN_OPSET + " to " + ModelNormalizer.MAX_OPSET
                    + ". Convert the model to an opset in that range first (e.g. with onnx.version_converter).");
        }
        GraphIndex index = new GraphIndex(model);
        QuantizedModelDetector.find(index).ifPresent(out::add);
        Float16Detector.find(model, index).ifPresent(out::add);
        return List.copyOf(out);
    }
}
