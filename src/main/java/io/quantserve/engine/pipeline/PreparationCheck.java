package io.quantserve.engine.pipeline;

import io.quantserve.engine.QuantServeException;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.runtime.ValueSpec;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Guards the float rewrites (normalisation, opset upgrade, BatchNormalization folding, Gemm normalisation): the
 * prepared float model must give the original model's outputs on the calibration samples, up to float rounding.
 * A larger difference means a rewrite changed the model's meaning, and the run stops instead of exporting it.
 */
final class PreparationCheck {
    /** Allowed difference relative to the largest output magnitude; BN folding alone stays near 1e-6. */
    static final double RELATIVE_TOLERANCE = 1e-3;

    private PreparationCheck() {}

    /** Returns the largest absolute difference; throws when it exceeds the tolerance. */
    static double verify(Path original, OnnxModel prepared, List<Map<String, Tensor>> feeds, Path scratch) {
        Path file = scratch.resolve("prepared_float.onnx");
        ModelIo.save(prepared, file);
        try (InferenceSession a = InferenceSession.open(original, SessionSettings.defaults());
                InferenceSession b = InferenceSession.open(file, SessionSettings.defaults())) {
            List<String> outs = a.outputs().stream().map(ValueSpec::name).toList();
            double maxDiff = 0;
            double maxRef = 0;
            for (Map<String, Tensor> feed : feeds) {
                Map<String, Tensor> x = a.run(feed, outs);
                Map<String, Tensor> y = b.run(feed, outs);
                for (String o : outs) {
                    if (x.get(o).type() != DataType.FLOAT) continue;
                    float[] p = x.get(o).toFloats();
                    float[] q = y.get(o).toFloats();
                    for (int i = 0; i < p.length; i++) {
                        maxDiff = Math.max(maxDiff, Math.abs((double) p[i] - q[i]));
                        maxRef = Math.max(maxRef, Math.abs(p[i]));
                    }
                }
            }
            if (maxDiff > RELATIVE_TOLERANCE * Math.max(1.0, maxRef)) {
                throw new QuantServeException(
                        "preparation-mismatch",
                        "the prepared float model differs from the original by " + maxDiff
                                + " (largest output magnitude " + maxRef + "); a graph rewrite changed the model");
            }
            return maxDiff;
        }
    }
}
