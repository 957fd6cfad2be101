package io.quantserve.engine.quant;

import io.quantserve.engine.layers.QuantizableLayer;

/**
 * How one enabled layer is quantized, resolved from the config: per-channel weights or not, and symmetric or
 * asymmetric activations.
 */
public record LayerPlan(QuantizableLayer layer, boolean channelWise, boolean asymmetric) {}
