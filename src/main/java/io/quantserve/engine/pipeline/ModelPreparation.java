package io.quantserve.engine.pipeline;

import io.quantserve.engine.inspect.ModelNormalizer;
import io.quantserve.engine.inspect.NormalizedModel;
import io.quantserve.engine.layers.LayerFinder;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.OnnxModel;
import java.nio.file.Path;

/** Loads and normalises a model for quantization (names, constants, refusals). */
public final class ModelPreparation {
    private ModelPreparation() {}

    public static PreparedModel prepare(Path modelFile) {
        NormalizedModel normalized = ModelNormalizer.normalize(ModelIo.load(modelFile));
        OnnxModel model = normalized.model();
        return new PreparedModel(model, normalized.changes(), LayerFinder.scan(model.proto()));
    }
}
