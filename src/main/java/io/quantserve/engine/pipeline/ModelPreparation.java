package io.quantserve.engine.pipeline;

import io.quantserve.engine.inspect.ModelNormalizer;
import io.quantserve.engine.inspect.NormalizedModel;
import io.quantserve.engine.layers.LayerFinder;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.upgrade.OpsetUpgrader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads and normalises a model for quantization: names, constants, refusals, and the opset the exports need
 * ({@code Round} and {@code Clip} with min/max inputs exist from opset 11; older models are upgraded to it, never
 * handed back to the user to upgrade).
 */
public final class ModelPreparation {
    /** The lowest default-domain opset the exported graphs are written for. */
    public static final int EXPORT_OPSET = 11;

    private ModelPreparation() {}

    public static PreparedModel prepare(Path modelFile) {
        NormalizedModel normalized = ModelNormalizer.normalize(ModelIo.load(modelFile));
        OnnxModel model = normalized.model();
        List<String> changes = new ArrayList<>(normalized.changes());
        long opset = model.defaultOpset();
        if (opset < EXPORT_OPSET) {
            model = OpsetUpgrader.upgrade(model, EXPORT_OPSET);
            changes.add("opset " + opset + " upgraded to " + EXPORT_OPSET
                    + " (the quantized graphs need Round and Clip with min/max inputs)");
        }
        return new PreparedModel(model, changes, LayerFinder.scan(model.proto()));
    }
}
