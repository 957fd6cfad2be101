package io.quantserve.engine.accuracy;

import io.quantserve.engine.InvalidConfigException;

/**
 * What a quantized model must reach, in the metric's unit. Values within {@link #TOLERANCE} (relative) of the
 * threshold pass, so that a drop of exactly the allowed amount is not failed by floating-point rounding.
 */
public sealed interface AccuracyTarget {
    /** Relative slack when comparing against the threshold. */
    double TOLERANCE = 1e-9;

    /** The smallest value that passes, given the float model's value. */
    double threshold(double floatValue);

    /** Whether {@code value} meets the target; NaN never does. */
    default boolean isMet(double floatValue, double value) {
        double t = threshold(floatValue);
        return value >= t - TOLERANCE * Math.max(1, Math.abs(t));
    }

    /** The target in words, e.g. {@code at most 0.2 % below fp32}. */
    String describe(String unit);

    /**
     * The metric may fall at most {@code drop} below the float model's value.
     *
     * @param drop ≥ 0, finite, in the metric's unit (percentage points for the {@code %} metrics)
     */
    record MaxDrop(double drop) implements AccuracyTarget {
        public MaxDrop {
            if (!(drop >= 0) || Double.isInfinite(drop)) {
                throw new InvalidConfigException("the allowed drop must be a finite number >= 0, got " + drop);
            }
        }

        @Override
        public double threshold(double floatValue) {
            if (!Double.isFinite(floatValue)) {
                throw new InvalidConfigException("the float model's value is " + floatValue
                        + ", so a drop from it means nothing; give a floor (minimum value) instead");
            }
            return floatValue - drop;
        }

        @Override
        public String describe(String unit) {
            return "at most " + drop + (unit.isEmpty() ? "" : " " + unit) + " below fp32";
        }
    }

    /**
     * The metric must reach at least {@code value}, whatever the float model reaches: the target for SQNR, whose
     * float value is +∞.
     *
     * @param value finite, in the metric's unit
     */
    record AtLeast(double value) implements AccuracyTarget {
        public AtLeast {
            if (!Double.isFinite(value)) {
                throw new InvalidConfigException("the minimum value must be finite, got " + value);
            }
        }

        @Override
        public double threshold(double floatValue) {
            return value;
        }

        @Override
        public String describe(String unit) {
            return "at least " + value + (unit.isEmpty() ? "" : " " + unit);
        }
    }
}
