/** The end-to-end quantization run over the engine's steps, with all-or-nothing output publication. */
@NullMarked
package io.quantserve.engine.pipeline;

import org.jspecify.annotations.NullMarked;
