package io.quantserve.engine.pipeline;

import io.quantserve.engine.QuantServeException;
import io.quantserve.engine.ScratchFolder;
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
 *
 * <p>The prepared model's outputs come from the caller (the report replay runs that model anyway); this check runs
 * only the original model, feed by feed.
 */
final class PreparationCheck implements AutoCloseable {
    /** Allowed difference relative to the largest output magnitude; BN folding alone stays near 1e-6. */
    static final double RELATIVE_TOLERANCE = 1e-3;

    private final InferenceSession original;
    private final List<String> outputs;
    private double maxDiff;
    private double maxRef;

    PreparationCheck(Path originalModel) {
        this.original = InferenceSession.open(originalModel, SessionSettings.interleaved());
        this.outputs = original.outputs().stream().map(ValueSpec::name).toList();
    }

    /** The graph outputs {@link #add} compares: the original model's, which the prepared model keeps. */
    List<String> outputs() {
        return outputs;
    }

    /** Runs the original model on {@code feed} and compares its float outputs with the prepared model's. */
    void add(Map<String, Tensor> feed, Map<String, Tensor> prepared) {
        Map<String, Tensor> x = original.run(feed, outputs);
        for (String o : outputs) {
            if (x.get(o).type() != DataType.FLOAT) continue;
            Tensor y = prepared.get(o);
            if (y == null) {
                throw new IllegalStateException("the prepared model's run lacks the graph output '" + o + "'");
            }
            float[] p = x.get(o).toFloats();
            float[] q = y.toFloats();
            if (p.length != q.length) {
                throw new QuantServeException(
                        "preparation-mismatch",
                        "the prepared float model's output '" + o + "' has " + q.length + " values, the original's "
                                + p.length + "; a graph rewrite changed the model");
            }
            for (int i = 0; i < p.length; i++) {
                boolean originalNan = Float.isNaN(p[i]);
                if (originalNan || Float.isNaN(q[i])) {
                    // NaN where the original has NaN too is the model's own; NaN on one side only is a rewrite fault.
                    if (originalNan != Float.isNaN(q[i])) maxDiff = Double.POSITIVE_INFINITY;
                    continue;
                }
                maxDiff = Math.max(maxDiff, Math.abs((double) p[i] - q[i]));
                maxRef = Math.max(maxRef, Math.abs(p[i]));
            }
        }
    }

    /**
     * Runs the check on its own: the prepared model (saved under {@code scratch} for the purpose) and the original
     * model on every feed; both sessions are closed again before returning.
     *
     * @return the largest absolute difference
     * @throws QuantServeException with code {@code preparation-mismatch} when it exceeds the tolerance
     */
    static double alone(Path originalModel, OnnxModel prepared, List<Map<String, Tensor>> feeds, Path scratch) {
        try (ScratchFolder dir = ScratchFolder.under(scratch, "preparation-check")) {
            Path file = dir.resolve("prepared_float.onnx");
            ModelIo.save(prepared, file);
            try (PreparationCheck check = new PreparationCheck(originalModel);
                    InferenceSession session = InferenceSession.open(file, SessionSettings.interleaved())) {
                for (Map<String, Tensor> feed : feeds) check.add(feed, session.run(feed, check.outputs()));
                return check.verify();
            }
        }
    }

    /** Returns the largest absolute difference seen; throws when it exceeds the tolerance. */
    double verify() {
        if (maxDiff > RELATIVE_TOLERANCE * Math.max(1.0, maxRef)) {
            throw new QuantServeException(
                    "preparation-mismatch",
                    "the prepared float model differs from the original by " + maxDiff + " (largest output magnitude "
                            + maxRef + "); a graph rewrite changed the model");
        }
        return maxDiff;
    }

    @Override
    public void close() {
        original.close();
    }
}
