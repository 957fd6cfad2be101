/** The only package that talks to ONNX Runtime: sessions fed and read with engine tensors. */
@NullMarked
package io.quantserve.engine.runtime;

import org.jspecify.annotations.NullMarked;
