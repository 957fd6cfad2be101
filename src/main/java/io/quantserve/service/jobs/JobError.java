package io.quantserve.service.jobs;

import org.jspecify.annotations.Nullable;

/**
 * Why a job failed.
 *
 * @param code the engine's stable code ({@code invalid-data}, {@code invalid-config}, {@code invalid-model}, …) or the
 *     service's ({@code lease-expired}, {@code internal-error}, {@code storage-unavailable})
 * @param message what went wrong, naming the input, layer or key at fault; never a server path
 * @param layer the failing layer, when the engine named one
 * @param stage the stage that was running
 */
public record JobError(
        String code,
        String message,
        @Nullable String layer,
        @Nullable String stage) {}
