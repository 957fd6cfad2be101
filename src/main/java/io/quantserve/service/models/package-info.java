/**
 * The model registry: uploaded ONNX models, inspected by the engine on arrival and stored under
 * {@code {tenant}/models/{id}/model.onnx}, with their metadata in the {@code models} table. The HTTP adapter lives in
 * {@code models.web}.
 */
@NullMarked
package io.quantserve.service.models;

import org.jspecify.annotations.NullMarked;
