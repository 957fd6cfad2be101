package io.quantserve.engine.verify;

import io.quantserve.engine.tensor.Tensor;

/**
 * Running maxima of the element-wise difference between a reference model's and a candidate model's values of one
 * graph output, over any number of runs, in O(1) memory. Equal values differ by 0, NaN against NaN and an infinity
 * against the same infinity included; NaN or an infinity on one side only differs by infinity.
 */
public final class OutputDifference {
    private final String name;
    private long elements;
    private double maxAbs;
    private double maxRel;
    private double maxReference;

    /** @param name the graph output */
    public OutputDifference(String name) {
        this.name = name;
    }

    /**
     * Adds one run's values, read as floats ({@link Tensor#toFloats()}).
     *
     * @throws IllegalArgumentException when the two tensors hold different numbers of values (callers that can meet
     *     that check it first and report it in their own terms)
     */
    public void add(Tensor reference, Tensor candidate) {
        float[] a = reference.toFloats();
        float[] b = candidate.toFloats();
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "output '" + name + "': " + a.length + " reference values against " + b.length);
        }
        for (int i = 0; i < a.length; i++) {
            double x = a[i];
            double y = b[i];
            if (!Double.isNaN(x)) maxReference = Math.max(maxReference, Math.abs(x));
            if (Double.compare(x, y) == 0 || x == y) continue;
            double abs = Math.abs(x - y);
            if (Double.isNaN(abs)) abs = Double.POSITIVE_INFINITY;
            double scale = Math.max(Math.abs(x), Math.abs(y));
            double rel = Double.isFinite(scale) && scale > 0 ? abs / scale : Double.POSITIVE_INFINITY;
            maxAbs = Math.max(maxAbs, abs);
            maxRel = Math.max(maxRel, rel);
        }
        elements += a.length;
    }

    /** The largest {@code |reference − candidate|} so far. */
    public double maxAbsDiff() {
        return maxAbs;
    }

    /** The largest {@code |reference|} so far, NaN left out: the scale a relative tolerance refers to. */
    public double maxReference() {
        return maxReference;
    }

    /** The differences so far, as the deploy parity check reports them. */
    public OutputParity parity() {
        return new OutputParity(name, elements, maxAbs, maxRel);
    }
}
