/** The quantization engine: a plain-Java library (no Spring, no JDBC, no servlet) and its exception family. */
@NullMarked
package io.quantserve.engine;

import org.jspecify.annotations.NullMarked;
