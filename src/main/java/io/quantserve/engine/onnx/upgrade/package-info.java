/**
 * Rewrites a model's default-domain ({@code ai.onnx}) operators from the opset it was exported with to a newer
 * one, node by node through a table of per-operator adapters, and checks the result against the original in
 * ONNX Runtime.
 */
@NullMarked
package io.quantserve.engine.onnx.upgrade;

import org.jspecify.annotations.NullMarked;
