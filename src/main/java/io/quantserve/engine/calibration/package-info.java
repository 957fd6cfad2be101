/**
 * One streaming forward pass over calibration batches into one bounded-memory statistics object per observed tensor
 * (a fixed-grid streaming histogram with exact min/max, whose state does not depend on how the values were split
 * into batches); the range algorithms (MinMax, IFMR, HFMG, percentile, KL) read their clip ranges from it, and
 * {@code statistics.bin} stores it so that ranges can be recomputed without a forward pass.
 */
@NullMarked
package io.quantserve.engine.calibration;

import org.jspecify.annotations.NullMarked;
