package io.quantserve.engine.calibration;

import io.quantserve.engine.calibration.HistogramBins.Cumulative;

/**
 * HFMG: a search over clip windows whose bounds lie on a grid of {@code numOfBins} equal bins spanning the data
 * (extended to contain 0), keeping the window with the smallest estimated L2 quantization error. The data are
 * counted on the fine streaming histogram (not on a running {@code numOfBins} histogram re-binned as the range
 * grows, which would make the result depend on how the batches were cut); the grid only sets where the window
 * bounds may lie.
 *
 * <p>The estimated error of a window {@code [lo, hi]} with step {@code Δ} (asymmetric: {@code (hi − lo)/255},
 * symmetric {@code [−t, t]}: {@code t/127}) is the exact clipping error {@code Σ(x − lo)²} below and {@code Σ(x −
 * hi)²} above, plus the rounding error inside: {@code x²} for the values within {@code Δ/2} of 0 (they round to the
 * exact zero level) and {@code Δ²/12} for each other value (uniform rounding error). All terms come from prefix
 * moments over the fine bins (uniform density within a bin), so a window costs O(1).
 *
 * <p>Cost: windows with {@code lo > 0} or {@code hi < 0} are equivalent to ones touching 0 (the quantizer's range
 * always contains 0), so asymmetric layers try every pair {@code lo ≤ 0 ≤ hi} of grid edges, at most {@code
 * (numOfBins/2 + 1)²} windows when the data straddle 0 and {@code numOfBins} when they are one-sided; symmetric
 * layers try the {@code numOfBins} thresholds of a grid over {@code [0, max|x|]}. Plus one pass over the fine bins.
 */
public final class HfmgObserver extends HistogramObserver {
    private final int numOfBins;
    private final boolean asymmetric;

    /**
     * @param numOfBins grid bins spanning the data, ≥ 1 (AMCT allows 1024, 2048, 4096, 8192)
     * @param asymmetric whether the layer's input is quantized with an offset
     */
    public HfmgObserver(int numOfBins, boolean asymmetric) {
        if (numOfBins < 1) throw new IllegalArgumentException("num_of_bins must be >= 1, got " + numOfBins);
        this.numOfBins = numOfBins;
        this.asymmetric = asymmetric;
    }

    @Override
    ClipRange choose(StreamingHistogram histogram) {
        return asymmetric
                ? window(histogram.signed(), histogram.min(), histogram.max())
                : threshold(histogram.magnitudes(), histogram.min(), histogram.max());
    }

    private ClipRange window(HistogramBins bins, double min, double max) {
        double lo0 = Math.min(min, 0);
        double hi0 = Math.max(max, 0);
        if (!(hi0 > lo0)) return new ClipRange(0f, 0f);
        int nb = numOfBins;
        double w = (hi0 - lo0) / nb;
        double[] edges = new double[nb + 1];
        for (int i = 0; i < nb; i++) edges[i] = lo0 + i * w;
        edges[nb] = hi0;
        int iz = 0;
        while (iz < nb && edges[iz + 1] <= 0) iz++;
        int jz = nb;
        while (jz > 0 && edges[jz - 1] >= 0) jz--;

        Cumulative at = bins.below(edges);
        double[] total = bins.totals();
        double[] below = new double[iz + 1];
        for (int i = 0; i <= iz; i++) {
            below[i] = clipError(at.sumOfSquares()[i], at.sum()[i], at.count()[i], edges[i]);
        }
        double[] above = new double[nb + 1];
        for (int j = jz; j <= nb; j++) {
            above[j] = clipError(
                    total[2] - at.sumOfSquares()[j], total[1] - at.sum()[j], total[0] - at.count()[j], edges[j]);
        }
        // Half steps Δ/2 = k·w/510 for window widths of k grid bins, and their negatives, ascending.
        double[] halves = new double[nb];
        double[] negatedHalves = new double[nb];
        for (int k = 1; k <= nb; k++) {
            halves[k - 1] = k * w / 510;
            negatedHalves[nb - k] = -halves[k - 1];
        }
        Cumulative up = bins.below(halves);
        Cumulative down = bins.below(negatedHalves);

        int bestI = -1;
        int bestJ = -1;
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= iz; i++) {
            double lo = edges[i];
            for (int j = Math.max(jz, i + 1); j <= nb; j++) {
                double hi = edges[j];
                int k = j - i;
                double half = halves[k - 1];
                double lowN;
                double lowS2;
                if (-half > lo) {
                    lowN = down.count()[nb - k];
                    lowS2 = down.sumOfSquares()[nb - k];
                } else {
                    lowN = at.count()[i];
                    lowS2 = at.sumOfSquares()[i];
                }
                double upN;
                double upS2;
                if (half < hi) {
                    upN = up.count()[k - 1];
                    upS2 = up.sumOfSquares()[k - 1];
                } else {
                    upN = at.count()[j];
                    upS2 = at.sumOfSquares()[j];
                }
                double step = 2 * half;
                double rounding = (upS2 - lowS2) + step * step / 12 * ((at.count()[j] - at.count()[i]) - (upN - lowN));
                double error = below[i] + above[j] + rounding;
                if (error < best) {
                    best = error;
                    bestI = i;
                    bestJ = j;
                }
            }
        }
        return new ClipRange((float) edges[bestI], (float) edges[bestJ]);
    }

    private ClipRange threshold(HistogramBins magnitudes, double min, double max) {
        double m = magnitudes.max();
        if (!(m > 0)) return new ClipRange(0f, 0f);
        int nb = numOfBins;
        double w = m / nb;
        double[] thresholds = new double[nb];
        double[] halves = new double[nb];
        for (int j = 1; j <= nb; j++) {
            thresholds[j - 1] = j == nb ? m : j * w;
            halves[j - 1] = thresholds[j - 1] / 254;
        }
        Cumulative at = magnitudes.below(thresholds);
        Cumulative small = magnitudes.below(halves);
        double[] total = magnitudes.totals();
        double bestT = m;
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < nb; j++) {
            double t = thresholds[j];
            double clip =
                    clipError(total[2] - at.sumOfSquares()[j], total[1] - at.sum()[j], total[0] - at.count()[j], t);
            double step = t / 127;
            double rounding = small.sumOfSquares()[j] + step * step / 12 * (at.count()[j] - small.count()[j]);
            double error = clip + rounding;
            if (error < best) {
                best = error;
                bestT = t;
            }
        }
        return symmetric(bestT, min, max);
    }

    /** {@code Σ(x − c)²} from the count, sum and sum of squares of the values clipped to {@code c}. */
    private static double clipError(double sumOfSquares, double sum, double count, double c) {
        return Math.max(0, sumOfSquares - 2 * c * sum + c * c * count);
    }
}
