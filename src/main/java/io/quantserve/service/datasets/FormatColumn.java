package io.quantserve.service.datasets;

import io.quantserve.engine.calibration.data.DataFormat;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Locale;

/** Stores {@link DataFormat} lower-case ({@code npz}, {@code npy}, {@code onnx_test_data}), as the table expects. */
@Converter(autoApply = true)
class FormatColumn implements AttributeConverter<DataFormat, String> {
    @Override
    public String convertToDatabaseColumn(DataFormat format) {
        return format.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public DataFormat convertToEntityAttribute(String value) {
        return DataFormat.valueOf(value.toUpperCase(Locale.ROOT));
    }
}
