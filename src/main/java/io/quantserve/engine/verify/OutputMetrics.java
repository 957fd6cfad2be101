package io.quantserve.engine.verify;

/**
 * Agreement of a candidate output with a reference output over an evaluation set.
 *
 * @param output output name
 * @param cosine cosine similarity of the flattened outputs, averaged over samples
 * @param minCosine the worst sample's cosine
 * @param sqnrDb signal-to-quantization-noise ratio in dB: {@code 10·log10(Σref² / Σ(ref−cand)²)} over all samples
 * @param maxAbsError largest absolute difference of any element
 * @param top1Agreement fraction of samples whose arg-max over the last axis agrees (NaN for scalar outputs)
 * @param samples number of samples compared
 */
public record OutputMetrics(
        String output,
        double cosine,
        double minCosine,
        double sqnrDb,
        double maxAbsError,
        double top1Agreement,
        long samples) {}
