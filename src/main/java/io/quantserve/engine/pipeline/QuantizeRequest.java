package io.quantserve.engine.pipeline;

import io.quantserve.engine.config.ConfigOptions;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * One quantization run (AMCT's quantize_model + calibration + save_model), calibrating on data or reading the
 * activation statistics of an earlier run.
 *
 * @param model the float ONNX model
 * @param data calibration data: {@code .npz}, {@code .npy} or a test-data folder; with {@code statistics} optional
 *     and used only for the built-in verification
 * @param config an AMCT config file; when null one is created from {@code configOptions}
 * @param configOptions used only when {@code config} is null
 * @param batchSize samples per calibration (or verification) batch (ignored for test-data folders)
 * @param batchNum overrides the config's {@code batch_num} when not null; ignored with {@code statistics}
 * @param outDir where the artefacts are published, all or nothing
 * @param parityBatches how many calibration batches the built-in verification replays (≥ 1)
 * @param statistics a {@code statistics.bin} of an earlier run on the same model: when given, no calibration forward
 *     pass is run and the config is applied to the stored histograms
 */
public record QuantizeRequest(
        Path model,
        @Nullable Path data,
        @Nullable Path config,
        ConfigOptions configOptions,
        int batchSize,
        @Nullable Integer batchNum,
        Path outDir,
        int parityBatches,
        @Nullable Path statistics) {
    public QuantizeRequest {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        if (batchNum != null && batchNum < 1)
            throw new IllegalArgumentException("batch_num must be >= 1, got " + batchNum);
        if (parityBatches < 1) throw new IllegalArgumentException("parityBatches must be >= 1");
        if (data == null && statistics == null) {
            throw new IllegalArgumentException("calibration data or a statistics file is required");
        }
    }

    /** A run that calibrates on {@code data}. */
    public QuantizeRequest(
            Path model,
            Path data,
            @Nullable Path config,
            ConfigOptions configOptions,
            int batchSize,
            @Nullable Integer batchNum,
            Path outDir,
            int parityBatches) {
        this(model, data, config, configOptions, batchSize, batchNum, outDir, parityBatches, null);
    }

    /**
     * A run that reads its activation statistics from {@code statistics} instead of calibrating.
     *
     * @param data samples for the built-in verification, or null to only load the exported models
     */
    public static QuantizeRequest fromStatistics(
            Path model,
            Path statistics,
            @Nullable Path data,
            @Nullable Path config,
            ConfigOptions configOptions,
            int batchSize,
            Path outDir,
            int parityBatches) {
        return new QuantizeRequest(
                model, data, config, configOptions, batchSize, null, outDir, parityBatches, statistics);
    }
}
