package io.quantserve.engine.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import org.jspecify.annotations.Nullable;

/**
 * How numbers are written to the report, so that the same run gives the same bytes and the file stays readable:
 * doubles are rounded to {@value #SIGNIFICANT_DIGITS} significant digits (half-even), cosines to
 * {@value #COSINE_DECIMALS} decimals (they differ from 1 in the sixth place and beyond), decibels are clamped to
 * ±{@value #DB_LIMIT}. Negative zero is written as 0.
 */
final class ReportNumbers {
    /** Decibel values are clamped to ±this; float32 rounding alone stays near 150 dB. */
    static final double DB_LIMIT = 200.0;

    static final int SIGNIFICANT_DIGITS = 6;
    static final int COSINE_DECIMALS = 9;

    private ReportNumbers() {}

    /**
     * {@code value} rounded to {@value #SIGNIFICANT_DIGITS} significant digits.
     *
     * @throws IllegalArgumentException for NaN or infinity, which the report never writes
     */
    static double rounded(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("report values must be finite, got " + value);
        }
        if (value == 0) return 0.0;
        return new BigDecimal(value)
                .round(new MathContext(SIGNIFICANT_DIGITS, RoundingMode.HALF_EVEN))
                .doubleValue();
    }

    /** A ratio in decibels, {@code 10·log10(signal / noise)}, clamped and rounded; null when both are 0. */
    static @Nullable Double decibels(double signal, double noise) {
        if (signal == 0 && noise == 0) return null;
        return decibels(10 * Math.log10(signal / noise));
    }

    /** A decibel value clamped to ±{@link #DB_LIMIT} and rounded; null for NaN. */
    static @Nullable Double decibels(double db) {
        if (Double.isNaN(db)) return null;
        return rounded(Math.max(-DB_LIMIT, Math.min(DB_LIMIT, db)));
    }

    /** A cosine rounded to {@value #COSINE_DECIMALS} decimals; null when not finite. */
    static @Nullable Double cosine(double cos) {
        if (!Double.isFinite(cos)) return null;
        double r = new BigDecimal(cos)
                .setScale(COSINE_DECIMALS, RoundingMode.HALF_EVEN)
                .doubleValue();
        return r == 0 ? 0.0 : r;
    }
}
