package io.quantserve.engine.calibration;

import java.util.HexFormat;
import java.util.List;

/**
 * What a set of calibration statistics was computed on: enough to refuse them for another model and to say when
 * the weights quantized upstream of an observed tensor differ from those of the calibration model.
 *
 * @param modelSha256 lowercase hex sha256 of the float model file given to the run
 * @param dataSha256 lowercase hex sha256 of the calibration data (a folder: of its sorted file list and contents)
 * @param batchSize samples per calibration batch
 * @param batchNum calibration batches asked for
 * @param batches calibration batches actually run (fewer than {@code batchNum} when the data ran short)
 * @param weights every quantizable layer of the fused model, in graph order: whether its weights were quantized
 *     (dequantized into the calibration model) and how
 */
public record StatisticsProvenance(
        String modelSha256, String dataSha256, int batchSize, int batchNum, int batches, List<WeightSetting> weights) {
    public StatisticsProvenance {
        requireSha256(modelSha256, "model");
        requireSha256(dataSha256, "data");
        if (batchSize < 1 || batchNum < 1 || batches < 1 || batches > batchNum) {
            throw new IllegalArgumentException("batch size " + batchSize + ", batch_num " + batchNum + ", batches run "
                    + batches + ": expected 1 <= batches <= batch_num and batch size >= 1");
        }
        weights = List.copyOf(weights);
    }

    /**
     * How one layer's weights were quantized for the calibration model.
     *
     * @param layer the layer name in the fused model
     * @param enabled whether the layer was quantized (its weights, if any, quantized-dequantized)
     * @param channelWise one weight scale per output channel rather than one per tensor; false when not enabled
     */
    public record WeightSetting(String layer, boolean enabled, boolean channelWise) {
        public WeightSetting {
            if (channelWise && !enabled) {
                throw new IllegalArgumentException("layer '" + layer + "': channel_wise without quantization");
            }
        }
    }

    private static void requireSha256(String hex, String what) {
        if (hex.length() != 64 || !hex.equals(hex.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException(what + " sha256 must be 64 lowercase hex digits: '" + hex + "'");
        }
        HexFormat.of().parseHex(hex);
    }
}
