package io.quantserve.service.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.InvalidModelException;
import org.junit.jupiter.api.Test;

/** Which external-data locations the service can store a file under. */
class ExternalDataFilesTest {
    @Test
    void relativePathsOfPlainNamesAreAccepted() {
        assertThat(ExternalDataFiles.check("model.onnx.data", "model.onnx")).isEqualTo("model.onnx.data");
        assertThat(ExternalDataFiles.check("weights/layer_1-a.bin", "model.onnx"))
                .isEqualTo("weights/layer_1-a.bin");
    }

    @Test
    void absoluteClimbingOddOrSelfLocationsAreRefused() {
        String[][] cases = {
            {"/etc/passwd", "is absolute"},
            {"C:/data.bin", "is absolute"},
            {"w\\data.bin", "is absolute"},
            {"../data.bin", "leaves the model's folder"},
            {"w/../../data.bin", "leaves the model's folder"},
            {"my weights.bin", "letters, digits"},
            {"w//data.bin", "letters, digits"},
            {"./data.bin", "letters, digits"},
            {"", "1 to 500 characters"},
            {"model.onnx", "the model file itself"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> ExternalDataFiles.check(c[0], "model.onnx"))
                    .as(c[0])
                    .isInstanceOf(InvalidModelException.class)
                    .hasMessageContaining(c[1]);
        }
    }
}
