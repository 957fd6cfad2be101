/**
 * Accuracy-based automatic quantization (AMCT's accuracy-based automatic calibration), without user code: evaluate
 * the float model on an evaluation set, quantize every enabled layer once, and when the fake-quant model misses the
 * {@link io.quantserve.engine.accuracy.AccuracyTarget} rank the layers by sensitivity and binary-search the smallest
 * number of most sensitive layers to keep in float. {@link io.quantserve.engine.accuracy.AutoQuantizer} is the entry
 * point.
 *
 * <p>Every candidate is re-exported from the factors of that one calibration pass (the record), with the chosen
 * layers written {@code quant_enable: false}; no layer is calibrated again. A layer kept in float therefore changes
 * its successors' inputs slightly (they now receive the output of a float layer instead of a quantized one) while
 * their activation factors stay those calibrated with every layer's weights quantized. AMCT's rollback does the
 * same; the effect is small next to the error removed, and every candidate is judged by evaluating its fake-quant
 * model, so the decision never rests on the stale factors.
 */
@NullMarked
package io.quantserve.engine.accuracy;

import org.jspecify.annotations.NullMarked;
