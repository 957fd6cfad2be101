package io.quantserve.service.datasets.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quantserve.service.datasets.ArrayDescription;
import io.quantserve.service.datasets.Dataset;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A stored dataset as the API shows it.
 *
 * @param format {@code npz}, {@code npy} or {@code onnx_test_data}
 * @param sampleCount samples (first-axis length shared by the arrays, or the number of test-data sets); {@code null}
 *     when NumPy arrays disagree
 */
@Schema(name = "Dataset")
record DatasetView(
        UUID id,
        String name,
        String format,
        @JsonProperty("size_bytes") long sizeBytes,
        String sha256,

        @JsonProperty("sample_count") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable
        Long sampleCount,

        List<ArrayView> arrays,
        @JsonProperty("created_at") Instant createdAt) {

    static DatasetView of(Dataset d, List<ArrayDescription> arrays) {
        return new DatasetView(
                d.id(),
                d.name(),
                d.format().name().toLowerCase(Locale.ROOT),
                d.sizeBytes(),
                d.sha256(),
                d.sampleCount(),
                arrays.stream().map(ArrayView::of).toList(),
                d.createdAt());
    }

    /** One array: its key, NumPy dtype and dimensions. */
    @Schema(name = "ArrayInfo")
    record ArrayView(String name, String dtype, List<Long> shape) {
        static ArrayView of(ArrayDescription a) {
            return new ArrayView(a.name(), a.dtype(), a.shape());
        }
    }
}
