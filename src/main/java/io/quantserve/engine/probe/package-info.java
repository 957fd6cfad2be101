/**
 * Measurements that run the float model with quantized twins of its layers beside the originals: each twin reads the
 * same float input, so its error is the layer's own. The quality report uses {@link
 * io.quantserve.engine.probe.LayerTwins} for its per-layer "SQNR alone"; {@link
 * io.quantserve.engine.probe.AutoRangeSelection} uses the same twins to choose each {@code act_algo: auto} layer's
 * activation range.
 */
@NullMarked
package io.quantserve.engine.probe;

import org.jspecify.annotations.NullMarked;
