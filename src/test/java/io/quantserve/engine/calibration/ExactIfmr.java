package io.quantserve.engine.calibration;

import java.util.Arrays;

/**
 * IFMR on every value kept in memory, as AMCT's original does: the reference the histogram IFMR is measured against.
 * Same ranks ({@link Ranks}), same candidate ratios, same quantizer ({@link Int8Grid}), errors summed over the
 * values themselves.
 */
final class ExactIfmr {
    private ExactIfmr() {}

    static ClipRange range(float[] values, IfmrObserver.Search search, boolean asymmetric) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double upper = sorted[(int) Ranks.upper(search.maxPercentile(), n) - 1];
        double lower = sorted[(int) Ranks.lower(search.minPercentile(), n) - 1];
        double clipMax = upper > 0 ? upper : 0;
        double clipMin = lower < 0 ? lower : 0;
        ClipRange best = null;
        double bestError = Double.POSITIVE_INFINITY;
        for (int i = 0; i < search.candidates(); i++) {
            double r = search.ratio(i);
            ClipRange candidate = new ClipRange(
                    (float) Math.max(clipMin * r, -Float.MAX_VALUE), (float) Math.min(clipMax * r, Float.MAX_VALUE));
            double error = squaredError(values, candidate, asymmetric);
            if (best == null || error < bestError) {
                best = candidate;
                bestError = error;
            }
        }
        return best;
    }

    /** {@code Σ(x − x̂)²} over the values for the INT8 grid of {@code range}. */
    static double squaredError(float[] values, ClipRange range, boolean asymmetric) {
        Int8Grid grid = Int8Grid.of(range, asymmetric);
        double sum = 0;
        for (float x : values) {
            double d = x - grid.dequantized(x);
            sum += d * d;
        }
        return sum;
    }
}
