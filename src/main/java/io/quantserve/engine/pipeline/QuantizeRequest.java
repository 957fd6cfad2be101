package io.quantserve.engine.pipeline;

import io.quantserve.engine.config.ConfigOptions;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * One quantization run (AMCT's quantize_model + calibration + save_model).
 *
 * @param model the float ONNX model
 * @param data calibration data: {@code .npz}, {@code .npy} or a test-data folder
 * @param config an AMCT config file; when null one is created from {@code configOptions}
 * @param configOptions used only when {@code config} is null
 * @param batchSize samples per calibration batch (ignored for test-data folders)
 * @param batchNum overrides the config's {@code batch_num} when not null
 * @param outDir where the artefacts are published, all or nothing
 * @param parityBatches how many calibration batches the built-in verification replays (≥ 1)
 */
public record QuantizeRequest(
        Path model,
        Path data,
        @Nullable Path config,
        ConfigOptions configOptions,
        int batchSize,
        @Nullable Integer batchNum,
        Path outDir,
        int parityBatches) {
    public QuantizeRequest {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        if (batchNum != null && batchNum < 1)
            throw new IllegalArgumentException("batch_num must be >= 1, got " + batchNum);
        if (parityBatches < 1) throw new IllegalArgumentException("parityBatches must be >= 1");
    }
}
