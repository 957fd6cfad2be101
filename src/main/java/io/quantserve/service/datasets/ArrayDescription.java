package io.quantserve.service.datasets;

import io.quantserve.engine.calibration.data.ArrayInfo;
import java.util.Arrays;
import java.util.List;

/**
 * One array of a dataset, as stored in the {@code datasets.arrays} column and shown by the API.
 *
 * @param name the array's key ({@code .npz} member, {@code .npy} file name, or {@code test_data_set_<i>/input_<k>})
 * @param dtype NumPy spelling ({@code float32}, {@code int64}, …)
 * @param shape dimensions; for NumPy data the first one counts samples
 */
public record ArrayDescription(String name, String dtype, List<Long> shape) {
    public ArrayDescription {
        shape = List.copyOf(shape);
    }

    static ArrayDescription of(ArrayInfo info) {
        return new ArrayDescription(
                info.name(),
                info.type().displayName(),
                Arrays.stream(info.shape()).boxed().toList());
    }
}
