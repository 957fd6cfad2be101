package io.quantserve.engine.verify;

/**
 * How far one graph output of the deploy model's integer reference lies from the fake_quant model, over all
 * samples.
 *
 * @param name the graph output
 * @param elements values compared (all samples together)
 * @param maxAbsDiff largest {@code |deploy - fakeQuant|}; infinite where only one side is NaN or infinite
 * @param maxRelDiff largest {@code |deploy - fakeQuant| / max(|deploy|, |fakeQuant|)}, 0 where both are 0
 */
public record OutputParity(String name, long elements, double maxAbsDiff, double maxRelDiff) {
    /** True when {@link #maxAbsDiff} is at most {@code tolerance} (a NaN difference never is). */
    public boolean within(double tolerance) {
        return maxAbsDiff <= tolerance;
    }
}
