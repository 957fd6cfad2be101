/** Graph rewrites before quantization: BatchNormalization folding and Gemm alpha/beta normalisation. */
@NullMarked
package io.quantserve.engine.fusion;

import org.jspecify.annotations.NullMarked;
