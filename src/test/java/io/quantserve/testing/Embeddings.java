package io.quantserve.testing;

import io.quantserve.engine.tensor.Tensor;

/** Sentence embeddings from a transformer's last hidden state, and their cosine similarity. */
public final class Embeddings {
    private Embeddings() {}

    /**
     * Mean of the token vectors where the attention mask is non-zero (sentence-transformers' mean pooling).
     *
     * @param hidden last_hidden_state f32[N, S, D]
     * @param attentionMask int[N, S], 1 on real tokens, 0 on padding
     * @return N vectors of D floats; a row with no real token is all zero
     */
    public static float[][] meanPooled(Tensor hidden, Tensor attentionMask) {
        if (hidden.rank() != 3
                || attentionMask.rank() != 2
                || hidden.dim(0) != attentionMask.dim(0)
                || hidden.dim(1) != attentionMask.dim(1)) {
            throw new IllegalArgumentException("hidden state " + hidden + " and attention mask " + attentionMask
                    + " do not match as [N,S,D], [N,S]");
        }
        int n = Math.toIntExact(hidden.dim(0));
        int s = Math.toIntExact(hidden.dim(1));
        int d = Math.toIntExact(hidden.dim(2));
        float[] h = hidden.toFloats();
        long[] mask = attentionMask.toLongs();
        float[][] out = new float[n][d];
        for (int i = 0; i < n; i++) {
            double[] sum = new double[d];
            int tokens = 0;
            for (int t = 0; t < s; t++) {
                if (mask[i * s + t] == 0) {
                    continue;
                }
                tokens++;
                int base = (i * s + t) * d;
                for (int k = 0; k < d; k++) {
                    sum[k] += h[base + k];
                }
            }
            for (int k = 0; k < d && tokens > 0; k++) {
                out[i][k] = (float) (sum[k] / tokens);
            }
        }
        return out;
    }

    /** Euclidean norm. */
    public static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    /** Cosine similarity in [-1, 1]; 0 when either vector is zero. */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of length " + a.length + " and " + b.length);
        }
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        double denominator = norm(a) * norm(b);
        return denominator == 0 ? 0 : dot / denominator;
    }

    /** Mean over rows of the cosine between row i of {@code a} and row i of {@code b}. */
    public static double meanCosine(float[][] a, float[][] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException(a.length + " and " + b.length + " embeddings; need equal, non-zero");
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += cosine(a[i], b[i]);
        }
        return sum / a.length;
    }
}
