package io.quantserve.engine.runtime;

import io.quantserve.engine.tensor.DataType;
import java.util.Arrays;

/**
 * A model input or output as ONNX Runtime sees it. {@code shape} uses -1 for symbolic or unknown dimensions.
 * {@code type} is null for non-tensor values (sequences, maps), which the engine does not feed.
 */
public record ValueSpec(String name, DataType type, long[] shape) {
    public ValueSpec {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public String toString() {
        return name + ":" + (type == null ? "?" : type.displayName()) + Arrays.toString(shape);
    }
}
