package io.quantserve.engine.calibration.data;

import io.quantserve.engine.tensor.DataType;
import java.util.Objects;

/**
 * Where one model input's data comes from.
 *
 * @param input the model input's name
 * @param source the array key ({@code .npz}/{@code .npy}) or {@code input_<k>} (test-data folder)
 * @param dataType the element type stored in the data
 * @param inputType the element type fed to the model; differs from {@code dataType} only under the conversions
 *     {@link CalibrationData} documents
 */
public record InputSource(String input, String source, DataType dataType, DataType inputType) {
    public InputSource {
        Objects.requireNonNull(input);
        Objects.requireNonNull(source);
        Objects.requireNonNull(dataType);
        Objects.requireNonNull(inputType);
    }

    public boolean converted() {
        return dataType != inputType;
    }
}
