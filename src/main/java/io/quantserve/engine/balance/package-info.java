/**
 * DMQ balancing (AMCT's {@code dmq_balancer_param}, SmoothQuant-style): an exact float rewrite that moves part of a
 * layer input's per-channel range into the layer's weight before quantization, with the one calibration pre-pass
 * that measures those ranges.
 */
@NullMarked
package io.quantserve.engine.balance;

import org.jspecify.annotations.NullMarked;
