package io.quantserve.engine.calibration;

/**
 * The INT8 quantizer a clip range stands for, so observers can score candidate ranges with the quantizer the
 * exported model will use: {@code q = clamp(rint(x / scale) + offset, −128, 127)}, dequantized {@code (q − offset) ·
 * scale}. {@link #of} follows AMCT's formulas exactly as {@code quant.ActivationFactors} applies them (this package
 * cannot depend on that one; a test pins the two together): the range is extended to contain 0, asymmetric {@code
 * scale = (max − min)/255}, {@code offset = −rint(min/scale) − 128}, symmetric {@code scale = max(|min|, |max|)/127},
 * {@code offset = 0}, a scale below {@code FLT_EPSILON} becomes 1.0, the offset is clamped to [−128, 127].
 *
 * @param scale the float32 step, &gt; 0
 * @param offset the integer zero point in [−128, 127]
 */
public record Int8Grid(float scale, int offset) {
    private static final float FLT_EPSILON = Math.ulp(1.0f);

    public Int8Grid {
        if (!(scale > 0) || !Float.isFinite(scale) || offset < -128 || offset > 127) {
            throw new IllegalArgumentException("invalid INT8 grid: scale " + scale + ", offset " + offset);
        }
    }

    /** The grid of {@code range}; ranges whose scale would be infinite give scale {@code Float.MAX_VALUE}. */
    public static Int8Grid of(ClipRange range, boolean asymmetric) {
        double min = Math.min(range.min(), 0f);
        double max = Math.max(range.max(), 0f);
        float scale;
        int offset;
        if (asymmetric) {
            scale = (float) ((max - min) / 255.0);
            offset = scale < FLT_EPSILON ? 0 : (int) (-Math.rint(min / scale) - 128);
        } else {
            scale = (float) (Math.max(Math.abs(min), Math.abs(max)) / 127.0);
            offset = 0;
        }
        if (scale < FLT_EPSILON) {
            return new Int8Grid(1.0f, 0);
        }
        if (!Float.isFinite(scale)) scale = Float.MAX_VALUE;
        return new Int8Grid(scale, Math.max(-128, Math.min(127, offset)));
    }

    /** {@code x} quantized to INT8 and back: a multiple of {@link #scale} in the representable range. */
    public double dequantized(double x) {
        return level(x) * (double) scale;
    }

    /**
     * The histogram's estimate of {@code Σ(x − x̂)²}: values spread uniformly within their bins. Each quantization
     * level {@code j} (the values that round to {@code j·scale}, the outermost levels taking everything beyond them)
     * contributes {@code Σx² − 2·j·scale·Σx + (j·scale)²·n} over its interval, read from the bins' prefix moments,
     * so a grid costs O(levels · log bins) rather than a pass over the bins.
     */
    double squaredError(HistogramBins bins) {
        if (bins.total() == 0) return 0;
        double s = scale;
        long first = level(bins.min());
        long last = level(bins.max());
        double[] totals = bins.totals();
        double[] below = {0, 0, 0};
        double[] next = new double[3];
        double sum = 0;
        for (long j = first; j <= last; j++) {
            if (j == last) {
                System.arraycopy(totals, 0, next, 0, 3);
            } else {
                bins.momentsBelow((j + 0.5) * s, next);
            }
            double n = next[0] - below[0];
            double s1 = next[1] - below[1];
            double s2 = next[2] - below[2];
            double c = j * s;
            sum += Math.max(0, s2 - 2 * c * s1 + c * c * n);
            double[] swap = below;
            below = next;
            next = swap;
        }
        return sum;
    }

    /** {@code q − offset}: the clamped multiple of {@link #scale} that {@code x} maps to. */
    private long level(double x) {
        double r = Math.rint(x / scale);
        return (long) Math.max(-128 - offset, Math.min(127 - offset, r));
    }
}
