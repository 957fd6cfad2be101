package io.quantserve.service.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * How closely one output of the fake-quant model follows the float model on the job's evaluation dataset.
 *
 * @param cosine cosine similarity of the flattened outputs, averaged over samples
 * @param minCosine the worst sample's cosine
 * @param sqnrDb {@code 10·log10(Σref² / Σ(ref−cand)²)} over all samples, dB; null when not finite
 * @param maxAbsError largest absolute difference of any element
 * @param top1Agreement fraction of samples whose arg-max over the last axis agrees; null for scalar outputs
 * @param samples samples compared
 */
public record OutputMetric(
        String output,
        double cosine,
        @JsonProperty("min_cosine") double minCosine,
        @JsonProperty("sqnr_db") @Nullable Double sqnrDb,
        @JsonProperty("max_abs_error") double maxAbsError,
        @JsonProperty("top1_agreement") @Nullable Double top1Agreement,
        long samples) {}
