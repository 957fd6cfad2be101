package io.quantserve.engine.pipeline;

import io.quantserve.engine.verify.ParityReport;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a run published.
 *
 * @param outDir the folder holding the artefacts
 * @param artefacts file names written, in a fixed order
 * @param quantizedLayers names of the layers quantized
 * @param floatLayers quantizable layers left in float, each with the reason
 * @param notes everything else the user should know (renames, fusions, data schedule, policy decisions)
 * @param parity the deploy ↔ fake_quant check on the replayed calibration batches; null when no data was given
 */
public record QuantizeResult(
        Path outDir,
        List<String> artefacts,
        List<String> quantizedLayers,
        List<String> floatLayers,
        List<String> notes,
        @Nullable ParityReport parity) {
    public QuantizeResult {
        artefacts = List.copyOf(artefacts);
        quantizedLayers = List.copyOf(quantizedLayers);
        floatLayers = List.copyOf(floatLayers);
        notes = List.copyOf(notes);
    }
}
