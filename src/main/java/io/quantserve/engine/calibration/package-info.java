/** One streaming forward pass over calibration batches into bounded-memory observers, and AMCT's factor formulas. */
@NullMarked
package io.quantserve.engine.calibration;

import org.jspecify.annotations.NullMarked;
