/** The quantizable-layer table: operator kinds, their rules (a registry), and the scan that applies them. */
@NullMarked
package io.quantserve.engine.layers;

import org.jspecify.annotations.NullMarked;
