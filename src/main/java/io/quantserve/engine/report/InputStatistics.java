package io.quantserve.engine.report;

import io.quantserve.engine.quant.ActivationParams;

/**
 * Streams one layer's input values against its quantizer: how many it saturates (the clip ratio), the observed
 * extremes, and a {@link StreamingHistogram} that starts at the clip range {@code [(−128 − o)·s, (127 − o)·s]}.
 *
 * <p>A value counts as clipped when the quantizer saturates it: {@code round_half_even(x · (1/s)) + o}, computed in
 * float32 as the fake-quant model does, falls outside [-128, 127]. That is a value more than half a step outside
 * the clip range; one within half a step rounds to the edge level with an ordinary rounding error (an input whose
 * negative part is smaller than half a step, such as a HardSwish or GELU output under an asymmetric range, is
 * not clipped). O(bins) memory.
 */
final class InputStatistics {
    private final float inverseScale;
    private final int offset;
    private final StreamingHistogram histogram;
    private long values;
    private long below;
    private long above;
    private long nonFinite;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    InputStatistics(ActivationParams activation) {
        this.inverseScale = activation.inverseScale();
        this.offset = activation.offset();
        this.histogram = new StreamingHistogram(clipMin(activation), clipMax(activation));
    }

    /** The smallest input represented without clipping, {@code (−128 − offset_d)·scale_d}. */
    static double clipMin(ActivationParams a) {
        return (-128.0 - a.offset()) * a.scale();
    }

    /** The largest input represented without clipping, {@code (127 − offset_d)·scale_d}. */
    static double clipMax(ActivationParams a) {
        return (127.0 - a.offset()) * a.scale();
    }

    /** Counts one batch of values; NaN and infinities are counted apart and kept out of the statistics. */
    void accept(float[] batch) {
        accept(batch, batch.length);
    }

    /** Counts the first {@code length} values of {@code batch}, as {@link #accept(float[])} does. */
    void accept(float[] batch, int length) {
        for (int i = 0; i < length; i++) {
            float f = batch[i];
            if (!Float.isFinite(f)) {
                nonFinite++;
                continue;
            }
            double v = f;
            values++;
            double q = Math.rint(f * inverseScale) + offset;
            if (q < -128) below++;
            else if (q > 127) above++;
            if (v < min) min = v;
            if (v > max) max = v;
            histogram.add(v);
        }
    }

    boolean sawNonFinite() {
        return nonFinite > 0;
    }

    /** The values seen, or a not-measured entry with {@code reason} when there were none. */
    QualityReport.Input result(String reason) {
        if (values == 0) {
            return new QualityReport.Input("not measured: " + reason, 0, null, 0, 0, null, null, null);
        }
        return new QualityReport.Input(
                "measured",
                values,
                ReportNumbers.rounded((double) (below + above) / values),
                below,
                above,
                ReportNumbers.rounded(min),
                ReportNumbers.rounded(max),
                histogram.result());
    }

    /** Quantization levels the observed range (extended to contain 0) spans: {@code (max − min) / scale_d}. */
    static double levelsSpanned(QualityReport.Input input, float scaleD) {
        if (input.observedMin() == null || input.observedMax() == null) return Double.NaN;
        double lo = Math.min(0, input.observedMin());
        double hi = Math.max(0, input.observedMax());
        return (hi - lo) / scaleD;
    }
}
