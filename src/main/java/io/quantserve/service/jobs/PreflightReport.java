package io.quantserve.service.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a job would do, found without running it: the layers it would quantize, every rule the request breaks, the
 * calibration batches and a rough cost.
 *
 * @param ok true when there is no violation: a job with this request would get past its checks
 * @param layers every quantizable layer of the model, in graph order, and whether the job would quantize it
 * @param violations rules the request breaks; each would make the job fail
 * @param calibration the batches calibration would run; null when the data could not be checked
 * @param estimate rough memory and time; null when the data could not be checked
 * @param notes what the engine would change about the model (renamed nodes, folded constants, …)
 */
public record PreflightReport(
        boolean ok,
        List<PlannedLayer> layers,
        List<Violation> violations,
        @Nullable Calibration calibration,
        @Nullable Estimate estimate,
        List<String> notes) {
    public PreflightReport {
        layers = List.copyOf(layers);
        violations = List.copyOf(violations);
        notes = List.copyOf(notes);
    }

    /**
     * A quantizable layer of the model.
     *
     * @param quantize whether the job would quantize it
     * @param reason why it stays in float; null when it is quantized
     */
    public record PlannedLayer(
            String name,
            @JsonProperty("op_type") String opType,
            boolean quantize,
            @Nullable String reason) {}

    /**
     * A rule the request breaks.
     *
     * @param code the code the job would fail with ({@code invalid-model}, {@code invalid-config},
     *     {@code invalid-data})
     * @param field the request field at fault ({@code model_id}, {@code config}, {@code dataset_id}, …)
     * @param message what is wrong, naming the layer, input or key
     */
    public record Violation(String code, String field, String message) {}

    /**
     * The calibration pass.
     *
     * @param batchSize samples per batch
     * @param batches batches that would run
     * @param samplesAvailable samples in the dataset
     * @param samplesUsed samples the batches would read
     */
    public record Calibration(
            @JsonProperty("batch_size") int batchSize,
            int batches,
            @JsonProperty("samples_available") long samplesAvailable,
            @JsonProperty("samples_used") long samplesUsed) {}

    /**
     * A rough cost of the job on this server, good to a factor of about two.
     *
     * @param memoryBytes peak memory of the run: six times the model (float, fused and three exported models) plus
     *     four calibration batches and the activation histograms
     * @param seconds wall time: one float inference of the first batch, measured now, times three passes over the
     *     batches (calibration, verification and report replay), plus two seconds of export
     * @param batchMillis the measured float inference of one batch, milliseconds
     */
    public record Estimate(
            @JsonProperty("memory_bytes") long memoryBytes,
            double seconds,
            @JsonProperty("batch_millis") double batchMillis) {}
}
