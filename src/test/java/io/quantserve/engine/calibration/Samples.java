package io.quantserve.engine.calibration;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded synthetic activations and ways to cut them into batches. */
final class Samples {
    private Samples() {}

    /** The statistics of {@code values}, as one calibration batch. */
    static StreamingHistogram histogram(float[] values) {
        StreamingHistogram h = new StreamingHistogram();
        h.accept(values);
        return h;
    }

    /** The statistics of the batches, streamed in order. */
    static StreamingHistogram histogram(List<float[]> batches) {
        StreamingHistogram h = new StreamingHistogram();
        batches.forEach(h::accept);
        return h;
    }

    static float[] gaussian(long seed, int n, double sigma) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (normal(r) * sigma);
        return v;
    }

    /** Laplace with scale {@code b}: a peaked distribution with heavy tails. */
    static float[] laplace(long seed, int n, double b) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble() - 0.5;
            v[i] = (float) (-b * Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
        }
        return v;
    }

    /** A ReLU output: max(0, N(0.3, 1)); about 38 % exact zeros. */
    static float[] reluLike(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) Math.max(0, 0.3 + normal(r));
        return v;
    }

    static float[] constant(int n, float c) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, c);
        return v;
    }

    /** N(0, 1) with one value at {@code outlier} in the middle. */
    static float[] singleOutlier(long seed, int n, float outlier) {
        float[] v = gaussian(seed, n, 1);
        v[n / 2] = outlier;
        return v;
    }

    /** Uniform on {@code [a, b)}: the exact grid {@code a + (b − a)(i + ½)/n}, shuffled deterministically. */
    static float[] uniformGrid(int n, double a, double b) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (a + (b - a) * (i + 0.5) / n);
        shuffle(v, 7);
        return v;
    }

    static void shuffle(float[] v, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = v.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
    }

    /** The values cut into consecutive batches of the given sizes (cycled; zero-length batches allowed). */
    static List<float[]> split(float[] values, int... sizes) {
        List<float[]> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; from < values.length; i++) {
            int size = Math.min(sizes[i % sizes.length], values.length - from);
            out.add(java.util.Arrays.copyOfRange(values, from, from + size));
            from += size;
        }
        return out;
    }

    /** The values cut at seeded random positions, with a few empty batches. */
    static List<float[]> randomSplit(float[] values, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<float[]> out = new ArrayList<>();
        int from = 0;
        while (from < values.length) {
            int size = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(Math.max(1, values.length / 7));
            size = Math.min(size, values.length - from);
            out.add(java.util.Arrays.copyOfRange(values, from, from + size));
            from += size;
        }
        return out;
    }

    private static double normal(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
