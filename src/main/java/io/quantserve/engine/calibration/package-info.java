/**
 * One streaming forward pass over calibration batches into bounded-memory observers: exact min/max, and IFMR, HFMG,
 * percentile and KL ranges chosen from a fixed-grid streaming histogram whose state does not depend on how the
 * values were split into batches.
 */
@NullMarked
package io.quantserve.engine.calibration;

import org.jspecify.annotations.NullMarked;
