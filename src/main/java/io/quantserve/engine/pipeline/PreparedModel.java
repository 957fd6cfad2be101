package io.quantserve.engine.pipeline;

import io.quantserve.engine.layers.LayerScan;
import io.quantserve.engine.onnx.OnnxModel;
import java.util.List;

/**
 * A model ready for quantization: normalised (unique names, constants as initializers, opset the exports need)
 * but not yet fused, with the changes made on the way and its quantizable layers.
 */
public record PreparedModel(OnnxModel model, List<String> changes, LayerScan scan) {
    public PreparedModel {
        changes = List.copyOf(changes);
    }
}
