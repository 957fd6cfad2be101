package io.quantserve.engine.accuracy;

import io.quantserve.engine.QuantServeException;
import java.util.Comparator;
import java.util.List;

/**
 * Even the candidate with every candidate layer in float (the most the search may keep in float) misses the target;
 * nothing was published. The message names the target, the best value reached and the layers that were in float.
 */
public final class AccuracyTargetUnreachableException extends QuantServeException {
    /** The stable {@link #code()}. */
    public static final String CODE = "accuracy-target-unreachable";

    private final List<Candidate> candidates;
    private final List<String> layersInFloat;

    AccuracyTargetUnreachableException(
            String metric, String unit, String target, double floatValue, List<Candidate> candidates, int maxFloat) {
        super(CODE, message(metric, unit, target, floatValue, candidates, maxFloat));
        this.candidates = List.copyOf(candidates);
        this.layersInFloat = this.candidates.getLast().layersInFloat();
    }

    /** Every candidate evaluated, in evaluation order. */
    public List<Candidate> candidates() {
        return candidates;
    }

    /** The layers in float in the last (most float) candidate tried. */
    public List<String> layersInFloat() {
        return layersInFloat;
    }

    /** The best value any candidate reached. */
    public double bestValue() {
        return best(candidates).value();
    }

    private static Candidate best(List<Candidate> candidates) {
        return candidates.stream()
                .max(Comparator.comparingDouble(Candidate::value))
                .orElseThrow();
    }

    private static String message(
            String metric, String unit, String target, double floatValue, List<Candidate> candidates, int maxFloat) {
        Candidate last = candidates.getLast();
        Candidate best = best(candidates);
        String u = unit.isEmpty() ? "" : " " + unit;
        String tried = maxFloat < 1
                ? "no layer can be kept in float (the model has one quantizable layer, or max float layers is 0)"
                : "even with the " + last.floatCount() + " most sensitive layer(s) in float " + last.layersInFloat()
                        + " it reaches " + last.value() + u;
        return "metric " + metric + " cannot meet the target (" + target + "; fp32 " + floatValue + u + "): " + tried
                + "; best reached " + best.value() + u + " with " + best.floatCount()
                + " layer(s) in float; nothing was written. Allow a larger drop, more layers in float, or another "
                + "calibration (algorithm, data)";
    }
}
