/** The quantserve command line over the engine. */
@NullMarked
package io.quantserve.cli;

import org.jspecify.annotations.NullMarked;
