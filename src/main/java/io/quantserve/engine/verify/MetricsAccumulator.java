package io.quantserve.engine.verify;

import io.quantserve.engine.tensor.Tensor;

/**
 * Accumulates {@link OutputMetrics} batch by batch in O(1) memory. The first axis of each tensor is the sample
 * axis; arg-max agreement is taken over the last axis of each sample.
 */
public final class MetricsAccumulator {
    private final String output;
    private final boolean top1;
    private double cosineSum;
    private double minCosine = Double.POSITIVE_INFINITY;
    private double signal;
    private double noise;
    private double maxAbs;
    private long agree;
    private long argmaxRows;
    private long samples;

    public MetricsAccumulator(String output) {
        this(output, true);
    }

    /**
     * @param top1 whether to compare arg-max rows; a caller that never reads {@link OutputMetrics#top1Agreement()}
     *     (per-layer feature maps, where the last axis is a spatial one) passes false and saves a pass over both
     *     tensors, and the result's agreement is then NaN
     */
    public MetricsAccumulator(String output, boolean top1) {
        this.output = output;
        this.top1 = top1;
    }

    public void add(Tensor reference, Tensor candidate) {
        add(reference.shape(), reference.toFloats(), candidate.toFloats());
    }

    /**
     * Adds one batch given as values: {@code r} and {@code c} hold the reference and candidate elements of a tensor of
     * {@code shape} (a caller comparing one reference with several candidates converts it once).
     */
    public void add(long[] shape, float[] r, float[] c) {
        if (r.length != c.length) {
            throw new IllegalArgumentException(
                    "output '" + output + "': reference has " + r.length + " elements, candidate " + c.length);
        }
        add(shape, r, c, r.length);
    }

    /**
     * Adds one batch whose {@code length} values are the first of {@code r} and {@code c} (arrays reused across
     * batches may be longer).
     */
    public void add(long[] shape, float[] r, float[] c, int length) {
        if (r.length < length || c.length < length) {
            throw new IllegalArgumentException(
                    "output '" + output + "': " + length + " elements in arrays of " + r.length + " and " + c.length);
        }
        int n = shape.length == 0 ? 1 : (int) Math.max(1, shape[0]);
        int per = n == 0 ? 0 : length / n;
        for (int s = 0; s < n; s++) {
            double dot = 0, nr = 0, nc = 0;
            for (int i = s * per; i < (s + 1) * per; i++) {
                dot += (double) r[i] * c[i];
                nr += (double) r[i] * r[i];
                nc += (double) c[i] * c[i];
                double d = (double) r[i] - c[i];
                noise += d * d;
                // Math.max on every value would chain each iteration to the previous one; the maximum seldom moves.
                // A NaN difference still makes maxAbs NaN for good, as Math.max does.
                double ad = Math.abs(d);
                if (!(ad <= maxAbs)) maxAbs = Math.max(maxAbs, ad);
            }
            signal += nr;
            double cos = nr == 0 && nc == 0 ? 1.0 : dot / Math.sqrt(nr * nc + 1e-300);
            cosineSum += cos;
            minCosine = Math.min(minCosine, cos);
            samples++;
        }
        if (top1 && shape.length >= 1 && shape[shape.length - 1] > 1) {
            int last = (int) shape[shape.length - 1];
            for (int row = 0; row < length / last; row++) {
                if (argmax(r, row * last, last) == argmax(c, row * last, last)) agree++;
                argmaxRows++;
            }
        }
    }

    private static int argmax(float[] v, int from, int len) {
        int best = 0;
        for (int i = 1; i < len; i++) if (v[from + i] > v[from + best]) best = i;
        return best;
    }

    public OutputMetrics result() {
        double sqnr = noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
        return new OutputMetrics(
                output,
                samples == 0 ? Double.NaN : cosineSum / samples,
                samples == 0 ? Double.NaN : minCosine,
                sqnr,
                maxAbs,
                argmaxRows == 0 ? Double.NaN : (double) agree / argmaxRows,
                samples);
    }
}
