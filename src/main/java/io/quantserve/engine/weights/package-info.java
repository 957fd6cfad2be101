/** ARQ weight quantization and INT32 bias quantization with an overflow policy. */
@NullMarked
package io.quantserve.engine.weights;

import org.jspecify.annotations.NullMarked;
