package io.quantserve.engine.calibration;

/** A clip range in the activation's own units; {@code min ≤ max}, both finite. */
public record ClipRange(float min, float max) {
    public ClipRange {
        if (!Float.isFinite(min) || !Float.isFinite(max) || min > max) {
            throw new IllegalArgumentException("invalid clip range [" + min + ", " + max + "]");
        }
    }
}
