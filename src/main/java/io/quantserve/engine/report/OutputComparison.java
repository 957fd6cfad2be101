package io.quantserve.engine.report;

import io.quantserve.engine.tensor.FloatArrays;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.engine.verify.MetricsAccumulator;
import io.quantserve.engine.verify.OutputMetrics;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Streams one layer output's error against the float model, batch by batch: in the fake-quant model (every
 * layer before it quantized too) and with the layer quantized alone. O(1) memory. A batch in which the layer
 * computed nothing (an {@code If} branch not taken) is skipped; when the two models disagree on the output's
 * shape (control flow took another path) that comparison stops and says so.
 */
final class OutputComparison {
    private final String tensor;
    private final MetricsAccumulator inModel;
    private final MetricsAccumulator isolated;
    private @Nullable String inModelMismatch;
    private @Nullable String isolatedMismatch;
    private boolean nonFinite;

    OutputComparison(String tensor) {
        this.tensor = tensor;
        // The report shows SQNR and cosine per layer; arg-max agreement over a feature map's last axis means nothing.
        this.inModel = new MetricsAccumulator(tensor, false);
        this.isolated = new MetricsAccumulator(tensor, false);
    }

    /**
     * @param reference the float model's output
     * @param fakeQuant the fake-quant model's output
     * @param alone the output of the layer quantized alone on the float input
     * @param arrays where the values are read into
     */
    void add(Tensor reference, Tensor fakeQuant, Tensor alone, FloatArrays arrays) {
        if (reference.size() == 0) return;
        float[] ref = arrays.read(reference);
        try {
            int n = Math.toIntExact(reference.size());
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(ref[i])) {
                    nonFinite = true;
                    return;
                }
            }
            if (inModelMismatch == null) {
                inModelMismatch = addTo(inModel, reference, ref, fakeQuant, "fake-quant", arrays);
            }
            if (isolatedMismatch == null) {
                isolatedMismatch = addTo(isolated, reference, ref, alone, "isolated", arrays);
            }
        } finally {
            arrays.release(ref);
        }
    }

    private @Nullable String addTo(
            MetricsAccumulator acc, Tensor reference, float[] ref, Tensor candidate, String what, FloatArrays arrays) {
        if (!Arrays.equals(reference.shape(), candidate.shape())) {
            return "the " + what + " output has shape " + Arrays.toString(candidate.shape()) + ", the float one "
                    + Arrays.toString(reference.shape()) + " (control flow took another path)";
        }
        float[] values = arrays.read(candidate);
        try {
            acc.add(reference.shape(), ref, values, Math.toIntExact(reference.size()));
        } finally {
            arrays.release(values);
        }
        return null;
    }

    boolean sawNonFinite() {
        return nonFinite;
    }

    /** The comparison, or a not-measured entry with {@code reason} when the layer computed nothing. */
    QualityReport.Output result(String reason) {
        if (nonFinite) {
            return notMeasured("the float output holds NaN or infinity");
        }
        OutputMetrics a = inModel.result();
        OutputMetrics b = isolated.result();
        if (a.samples() == 0 && b.samples() == 0) {
            String why =
                    inModelMismatch != null ? inModelMismatch : isolatedMismatch != null ? isolatedMismatch : reason;
            return notMeasured(why);
        }
        String status = inModelMismatch != null
                ? "partly measured: " + inModelMismatch
                : isolatedMismatch != null ? "partly measured: " + isolatedMismatch : "measured";
        return new QualityReport.Output(
                status,
                tensor,
                inModelMismatch == null ? ReportNumbers.decibels(a.sqnrDb()) : null,
                inModelMismatch == null ? ReportNumbers.cosine(a.cosine()) : null,
                isolatedMismatch == null ? ReportNumbers.decibels(b.sqnrDb()) : null,
                isolatedMismatch == null ? ReportNumbers.cosine(b.cosine()) : null);
    }

    private QualityReport.Output notMeasured(String why) {
        return notMeasured(tensor, why);
    }

    /** An output without measurements, with the reason. */
    static QualityReport.Output notMeasured(String tensor, String why) {
        return new QualityReport.Output("not measured: " + why, tensor, null, null, null, null);
    }
}
