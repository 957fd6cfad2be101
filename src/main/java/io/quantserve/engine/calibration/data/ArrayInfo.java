package io.quantserve.engine.calibration.data;

import io.quantserve.engine.tensor.DataType;
import java.util.Arrays;
import java.util.Objects;

/**
 * One array of a dataset as its header declares it; no payload has been read to build it.
 *
 * @param name the array's key: the {@code .npz} member name without {@code .npy}, the {@code .npy} file name
 *     without extension, or {@code test_data_set_<i>/input_<k>} for a test-data folder
 * @param type element type
 * @param shape dimensions, row-major; for NumPy arrays the first axis counts samples
 */
public record ArrayInfo(String name, DataType type, long[] shape) {
    public ArrayInfo {
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Length of the first axis (the sample axis of NumPy data); 1 for a scalar. */
    public long sampleCount() {
        return shape.length == 0 ? 1 : shape[0];
    }

    /** Payload size in bytes. */
    public long byteSize() {
        long n = type.byteWidth();
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArrayInfo a && name.equals(a.name) && type == a.type && Arrays.equals(shape, a.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return name + ":" + type.displayName() + Arrays.toString(shape);
    }
}
