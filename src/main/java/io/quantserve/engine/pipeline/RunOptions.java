package io.quantserve.engine.pipeline;

import java.util.List;

/**
 * The resolved options of a run, as the manifest records them.
 *
 * @param mode {@code quantize}, {@code from-stats} (quantize from stored statistics) or {@code save}
 * @param batchSize samples per calibration batch (for {@code from-stats}: those of the stored statistics)
 * @param batchNum calibration batches asked for
 * @param activationAlgorithm the range method that produced the activation factors: the {@code act_algo} name when
 *     every quantized layer uses one (e.g. {@code ifmr}), else {@code mixed: } with each name and its layer count
 *     (e.g. {@code mixed: hfmg (1), ifmr (4)}); {@code record} for a re-export from a record
 * @param biasOverflowPolicy the INT32 bias policy in force
 * @param quantizedLayers layers quantized, in graph order
 * @param floatLayers layers left in float, with reasons
 */
public record RunOptions(
        String mode,
        int batchSize,
        int batchNum,
        String activationAlgorithm,
        String biasOverflowPolicy,
        List<String> quantizedLayers,
        List<String> floatLayers) {}
