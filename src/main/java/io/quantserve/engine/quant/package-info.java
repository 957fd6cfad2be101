/** Quantization results per layer and the step that computes factors from weights and calibration. */
@NullMarked
package io.quantserve.engine.quant;

import org.jspecify.annotations.NullMarked;
