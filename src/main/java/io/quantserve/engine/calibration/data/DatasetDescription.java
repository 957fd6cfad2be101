package io.quantserve.engine.calibration.data;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a dataset holds, read from headers only (no payload is decoded), e.g. for a service's dataset metadata.
 *
 * @param format the layout found on disk
 * @param arrays every array in file order; for {@link DataFormat#ONNX_TEST_DATA} every tensor of every set, in set
 *     then input order
 * @param sampleCount for NumPy data the first-axis length shared by all arrays, empty when the arrays disagree (a
 *     model then picks the arrays it needs, see {@link CalibrationData#batches}); for a test-data folder the number
 *     of sets, since each set is one feed
 */
public record DatasetDescription(DataFormat format, List<ArrayInfo> arrays, OptionalLong sampleCount) {
    public DatasetDescription {
        Objects.requireNonNull(format);
        arrays = List.copyOf(arrays);
        Objects.requireNonNull(sampleCount);
    }
}
