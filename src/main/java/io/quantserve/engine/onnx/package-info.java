/** ONNX model I/O (external data, large models), the graph editor every edit goes through, and node naming. */
@NullMarked
package io.quantserve.engine.onnx;

import org.jspecify.annotations.NullMarked;
