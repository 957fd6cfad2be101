package io.quantserve.engine.verify;

import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.nio.FloatBuffer;

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
     * Adds one run's values, read as floats ({@link Tensor#toFloats()}; float tensors are read in place, not copied:
     * the checks compare every retained sample's outputs, megabytes each).
     *
     * @throws IllegalArgumentException when the two tensors hold different numbers of values (callers that can meet
     *     that check it first and report it in their own terms)
     */
    public void add(Tensor reference, Tensor candidate) {
        if (reference.size() != candidate.size()) {
            throw new IllegalArgumentException(
                    "output '" + name + "': " + reference.size() + " reference values against " + candidate.size());
        }
        if (reference.type() == DataType.FLOAT && candidate.type() == DataType.FLOAT) {
            FloatBuffer a = reference.data().asFloatBuffer();
            FloatBuffer b = candidate.data().asFloatBuffer();
            for (int i = 0, n = a.remaining(); i < n; i++) accept(a.get(i), b.get(i));
        } else {
            float[] a = reference.toFloats();
            float[] b = candidate.toFloats();
            for (int i = 0; i < a.length; i++) accept(a[i], b[i]);
        }
        elements += reference.size();
    }

    private void accept(double x, double y) {
        if (!Double.isNaN(x)) maxReference = Math.max(maxReference, Math.abs(x));
        if (Double.compare(x, y) == 0 || x == y) return;
        double abs = Math.abs(x - y);
        if (Double.isNaN(abs)) abs = Double.POSITIVE_INFINITY;
        double scale = Math.max(Math.abs(x), Math.abs(y));
        double rel = Double.isFinite(scale) && scale > 0 ? abs / scale : Double.POSITIVE_INFINITY;
        maxAbs = Math.max(maxAbs, abs);
        maxRel = Math.max(maxRel, rel);
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
