/** Checks of exported models: output agreement metrics and parity between exports. */
@NullMarked
package io.quantserve.engine.verify;

import org.jspecify.annotations.NullMarked;
