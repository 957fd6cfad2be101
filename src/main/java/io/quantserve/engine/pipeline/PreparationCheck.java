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
import io.quantserve.engine.verify.OutputDifference;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
    /** Per float output; NaN where the original has NaN too is the model's own, on one side only a rewrite fault. */
    private final Map<String, OutputDifference> differences = new LinkedHashMap<>();

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
            if (x.get(o).size() != y.size()) {
                throw new QuantServeException(
                        "preparation-mismatch",
                        "the prepared float model's output '" + o + "' has " + y.size() + " values, the original's "
                                + x.get(o).size() + "; a graph rewrite changed the model");
            }
            differences.computeIfAbsent(o, OutputDifference::new).add(x.get(o), y);
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
        double maxDiff = 0;
        double maxRef = 0;
        for (OutputDifference d : differences.values()) {
            maxDiff = Math.max(maxDiff, d.maxAbsDiff());
            maxRef = Math.max(maxRef, d.maxReference());
        }
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
