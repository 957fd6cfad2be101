package io.quantserve.service.web;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on what one tenant may upload and run ({@code quantserve.limits.*}); the upload size limit is
 * {@code quantserve.uploads.max-size}. A request over a limit is refused with a problem and stores nothing.
 *
 * @param maxTensorRank the most dimensions of an array in a dataset (answered 422 {@code tensor-rank-exceeded})
 * @param maxTensorElements the most elements of one array in a dataset, all samples together (answered 413
 *     {@code tensor-too-large})
 * @param maxSamplesPerDataset the most samples a dataset may hold (answered 413 {@code too-many-samples})
 * @param maxModelInputRank the most dimensions of a model input (answered 422 {@code tensor-rank-exceeded})
 * @param maxConcurrentJobsPerTenant the most QUEUED and RUNNING jobs a tenant may have; creating one more is
 *     answered 429 {@code too-many-jobs}
 */
@Validated
@ConfigurationProperties("quantserve.limits")
public record LimitsProperties(
        @DefaultValue("8") @Min(1) int maxTensorRank,
        @DefaultValue("4294967296") @Min(1) long maxTensorElements,
        @DefaultValue("10000000") @Min(1) long maxSamplesPerDataset,
        @DefaultValue("8") @Min(1) int maxModelInputRank,
        @DefaultValue("16") @Min(1) int maxConcurrentJobsPerTenant) {}
