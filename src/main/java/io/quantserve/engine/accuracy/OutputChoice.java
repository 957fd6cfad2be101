package io.quantserve.engine.accuracy;

import io.quantserve.engine.InvalidConfigException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The one output a built-in metric reads: the one named, else the model's first. */
final class OutputChoice {
    private OutputChoice() {}

    static List<String> resolve(@Nullable String output, List<String> modelOutputs) {
        if (modelOutputs.isEmpty()) throw new InvalidConfigException("the model has no outputs to evaluate");
        if (output == null) return List.of(modelOutputs.getFirst());
        if (!modelOutputs.contains(output)) {
            throw new InvalidConfigException(
                    "output '" + output + "' is not an output of the model; it has " + modelOutputs);
        }
        return List.of(output);
    }
}
