/**
 * The quantization config: typed immutable records ({@link io.quantserve.engine.config.QuantConfig} and its
 * parts), AMCT-compatible JSON read/write with validation ({@link io.quantserve.engine.config.QuantConfigs}), and
 * creation of a default config from the quantizable layers of a model
 * ({@link io.quantserve.engine.config.ConfigFactory}).
 */
@NullMarked
package io.quantserve.engine.config;

import org.jspecify.annotations.NullMarked;
