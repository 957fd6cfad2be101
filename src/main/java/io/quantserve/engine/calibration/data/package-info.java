/**
 * Calibration and evaluation data sources: NumPy {@code .npy}/{@code .npz} files and ONNX Runtime test-data
 * folders, validated against a model's inputs and streamed batch by batch with memory bounded by one batch.
 * Entry point: {@link io.quantserve.engine.calibration.data.CalibrationData}.
 */
@NullMarked
package io.quantserve.engine.calibration.data;

import org.jspecify.annotations.NullMarked;
