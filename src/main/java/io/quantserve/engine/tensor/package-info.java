/** Dense tensors in little-endian bytes and the ONNX element types. */
@NullMarked
package io.quantserve.engine.tensor;

import org.jspecify.annotations.NullMarked;
