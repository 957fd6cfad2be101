/** Writers of the exported models (fake-quant, deploy, portable INT8), the record file and the run manifest. */
@NullMarked
package io.quantserve.engine.export;

import org.jspecify.annotations.NullMarked;
