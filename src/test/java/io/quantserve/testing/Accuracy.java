package io.quantserve.testing;

import io.quantserve.engine.tensor.Tensor;
import java.util.Arrays;

/** Top-1 classification accuracy from scores (logits, probabilities or log-probabilities). */
public final class Accuracy {
    private Accuracy() {}

    /**
     * Index of the largest score in each row of {@code scores} [N, C] (the first on ties). NaN never wins, so a
     * row of NaN answers class 0.
     */
    public static int[] argmax(Tensor scores) {
        if (scores.rank() != 2 || scores.dim(1) < 1) {
            throw new IllegalArgumentException("scores must be [N, C] with C >= 1, got " + scores);
        }
        int rows = Math.toIntExact(scores.dim(0));
        int classes = Math.toIntExact(scores.dim(1));
        float[] v = scores.toFloats();
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = argmax(v, r * classes, classes);
        }
        return out;
    }

    /** Index (relative to {@code from}) of the largest of {@code count} values starting at {@code from}. */
    static int argmax(float[] v, int from, int count) {
        int best = 0;
        for (int c = 1; c < count; c++) {
            if (v[from + c] > v[from + best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * Fraction (0..1) of rows of {@code scores} [N, C] whose argmax equals the label.
     *
     * @param labels N class indices
     */
    public static double top1(Tensor scores, long[] labels) {
        int[] predicted = argmax(scores);
        if (predicted.length != labels.length) {
            throw new IllegalArgumentException(predicted.length + " score rows but " + labels.length + " labels: "
                    + Arrays.toString(scores.shape()));
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("no samples to score");
        }
        int hits = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                hits++;
            }
        }
        return (double) hits / labels.length;
    }
}
