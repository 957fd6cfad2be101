package io.quantserve.engine.inspect;

import io.quantserve.engine.onnx.OnnxModel;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link ModelNormalizer#normalize}.
 *
 * @param model the prepared model (same external-data folder as the input)
 * @param changes what was changed, one plain-words sentence per kind of change, in the order applied; empty when
 *     the model was already in shape
 */
public record NormalizedModel(OnnxModel model, List<String> changes) {
    public NormalizedModel {
        Objects.requireNonNull(model);
        changes = List.copyOf(changes);
    }
}
