package io.quantserve.engine.pipeline;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Re-export from a config and a (possibly hand-edited) record, without calibration (AMCT's save_model).
 *
 * @param data optional samples for the built-in verification; without it the models are only loaded and checked
 */
public record SaveRequest(
        Path model, Path config, Path record, @Nullable Path data, int batchSize, Path outDir) {}
