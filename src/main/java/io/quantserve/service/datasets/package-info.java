/**
 * The dataset registry: calibration and evaluation data ({@code .npz}, {@code .npy}, or a zip of an ONNX test-data
 * folder), described by the engine on arrival and stored under {@code {tenant}/datasets/{id}/}. The HTTP adapter
 * lives in {@code datasets.web}.
 */
@NullMarked
package io.quantserve.service.datasets;

import org.jspecify.annotations.NullMarked;
