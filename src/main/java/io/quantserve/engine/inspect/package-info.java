/**
 * Preparing models as found in the wild for quantization ({@link io.quantserve.engine.inspect.ModelNormalizer}) and
 * describing them to users ({@link io.quantserve.engine.inspect.ModelInspector}): unique node names, weights held in
 * {@code Constant} nodes, IR &lt; 4 initializer inputs, and refusal of models that are already quantized, float16 or
 * of an unsupported opset.
 */
@NullMarked
package io.quantserve.engine.inspect;

import org.jspecify.annotations.NullMarked;
