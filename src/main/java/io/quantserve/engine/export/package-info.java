/**
 * AMCT-compatible artefacts of a quantization: the text-protobuf record file ({@link RecordFile}) and the
 * Ascend deploy model ({@link DeployExporter}) with its {@code AscendQuant}/{@code AscendDequant} operators
 * ({@link AscendOps}).
 */
@NullMarked
package io.quantserve.engine.export;

import org.jspecify.annotations.NullMarked;
