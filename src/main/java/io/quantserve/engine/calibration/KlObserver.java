package io.quantserve.engine.calibration;

/**
 * Entropy calibration as TensorRT does it: a histogram of {@code |x|} in {@code numOfBins} equal bins over {@code
 * [0, max|x|]}; for every candidate end bin {@code i} from 128 to {@code numOfBins}, the reference distribution
 * {@code P} is bins {@code [0, i)} with everything above folded into bin {@code i − 1}, and {@code Q} is the same
 * {@code i} bins (without the folded tail) merged into 128 levels (bin {@code b} into level {@code ⌊128·b/i⌋}, as
 * NVIDIA's pytorch-quantization and ONNX Runtime group them, rather than piling the remainder into the last level)
 * and spread back evenly over the positions where {@code P} is non-zero. The first bin (where exact zeros pile up)
 * takes the count of the second, as in NVIDIA's pytorch-quantization. The threshold {@code t = i·width} with the smallest {@code KL(P‖Q)} wins (the first on a
 * tie); the range is {@code [−t, t]} within the data. A candidate whose {@code Q} is 0 where {@code P} is not (a tail
 * folded into an empty last level) has infinite divergence and is skipped rather than smoothed; {@code i =
 * numOfBins} folds nothing, so there is always a finite candidate.
 *
 * <p>The {@code numOfBins} counts are exact sums over the fine streaming histogram (split in proportion where a
 * coarse edge cuts a fine bin), so they do not depend on the batching. Cost: O(numOfBins²) for the divergences.
 */
public final class KlObserver extends HistogramObserver {
    /** INT8 magnitude levels: 0..127. */
    static final int LEVELS = 128;

    private final int numOfBins;

    /** @param numOfBins bins of the {@code |x|} histogram, ≥ 128 */
    public KlObserver(int numOfBins) {
        if (numOfBins < LEVELS) {
            throw new IllegalArgumentException("num_of_bins must be >= " + LEVELS + ", got " + numOfBins);
        }
        this.numOfBins = numOfBins;
    }

    @Override
    ClipRange choose(StreamingHistogram histogram) {
        HistogramBins magnitudes = histogram.magnitudes();
        double m = magnitudes.max();
        if (!(m > 0)) return new ClipRange(0f, 0f);
        int nb = numOfBins;
        double w = m / nb;
        double[] edges = new double[nb];
        for (int i = 1; i < nb; i++) edges[i] = i * w;
        double[] below = magnitudes.below(edges).count();
        double[] hist = new double[nb];
        for (int i = 0; i < nb; i++) {
            hist[i] = (i + 1 < nb ? below[i + 1] : magnitudes.total()) - below[i];
        }
        // The first bin holds every exact zero (ReLU outputs, padding): values the zero level represents without
        // error. Left as it is, that spike dominates the divergence of any candidate that merges it with its
        // neighbours and drives the threshold down to the smallest one; like NVIDIA's pytorch-quantization, count
        // it as its neighbour.
        hist[0] = hist[1];
        int bestEnd = nb;
        double best = Double.POSITIVE_INFINITY;
        double[] p = new double[nb];
        double[] q = new double[nb];
        double[] tail = new double[nb + 1];
        for (int i = nb - 1; i >= 0; i--) tail[i] = tail[i + 1] + hist[i];
        for (int end = LEVELS; end <= nb; end++) {
            double divergence = divergence(hist, end, tail[end], p, q);
            if (divergence < best) {
                best = divergence;
                bestEnd = end;
            }
        }
        double t = bestEnd == nb ? m : bestEnd * w;
        return symmetric(t, histogram.min(), histogram.max());
    }

    /** {@code KL(P‖Q)} for the first {@code end} bins with {@code tail} (the count at and above {@code end}) folded. */
    private static double divergence(double[] hist, int end, double tail, double[] p, double[] q) {
        System.arraycopy(hist, 0, p, 0, end);
        p[end - 1] += tail;
        double pSum = 0;
        double qSum = 0;
        for (int level = 0; level < LEVELS; level++) {
            int from = firstBinOf(level, end);
            int to = firstBinOf(level + 1, end);
            double sum = 0;
            int nonZero = 0;
            for (int b = from; b < to; b++) {
                sum += hist[b];
                if (p[b] != 0) nonZero++;
            }
            for (int b = from; b < to; b++) {
                q[b] = p[b] != 0 ? sum / nonZero : 0;
                if (p[b] != 0 && q[b] == 0) return Double.POSITIVE_INFINITY;
            }
            qSum += sum;
        }
        for (int b = 0; b < end; b++) pSum += p[b];
        double kl = 0;
        for (int b = 0; b < end; b++) {
            if (p[b] == 0) continue;
            double pn = p[b] / pSum;
            kl += pn * Math.log(pn / (q[b] / qSum));
        }
        return kl;
    }

    /** Bin {@code b} of {@code end} belongs to level {@code ⌊128·b/end⌋}; this is the first bin of {@code level}. */
    private static int firstBinOf(int level, int end) {
        return (int) (((long) level * end + LEVELS - 1) / LEVELS);
    }
}
