/**
 * The on-demand benchmark ({@code mvn -B verify -Pbench}): every real model of the table quantized by the
 * {@code quantserve} jar as a separate process, with its task metric, wall time, peak RSS and the fp32 inference
 * floor over the same batches; results in {@code target/bench/results.md} and {@code results.json}. Not part of the
 * default build.
 */
@NullMarked
package io.quantserve.bench;

import org.jspecify.annotations.NullMarked;
