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

    /** The mean of {@code (x − dequantized(x))²} for {@code x} uniform on {@code [a, b]}; at {@code a} when a = b. */
    double meanSquaredError(double a, double b) {
        if (!(a < b)) {
            double d = a - dequantized(a);
            return d * d;
        }
        double s = scale;
        int lowest = -128 - offset;
        int highest = 127 - offset;
        long first = level(a);
        long last = level(b);
        double sum = 0;
        for (long j = first; j <= last; j++) {
            double u = j == lowest ? a : Math.max(a, (j - 0.5) * s);
            double v = j == highest ? b : Math.min(b, (j + 0.5) * s);
            if (v <= u) continue;
            double w = v - u;
            double d = (u + v) / 2 - j * s;
            sum += w * (d * d + w * w / 12);
        }
        return sum / (b - a);
    }

    /** Sum over the bins of count × mean squared quantization error: the histogram's estimate of Σ(x − x̂)². */
    double squaredError(HistogramBins bins) {
        double sum = 0;
        for (int i = 0; i < bins.size(); i++) {
            sum += bins.count(i) * meanSquaredError(bins.lo(i), bins.hi(i));
        }
        return sum;
    }

    /** {@code q − offset}: the clamped multiple of {@link #scale} that {@code x} maps to. */
    private long level(double x) {
        double r = Math.rint(x / scale);
        return (long) Math.max(-128 - offset, Math.min(127 - offset, r));
    }
}
