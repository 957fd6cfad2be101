/**
 * Checks on exported models. {@link DeployParityCheck} runs the Ascend deploy model through an integer
 * reference lowering ({@link DeployLowering}) in ONNX Runtime and compares it with the fake_quant model.
 */
@NullMarked
package io.quantserve.engine.verify;

import org.jspecify.annotations.NullMarked;
