package io.quantserve.engine.accuracy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * AMCT's binary search for the smallest k such that keeping the k most sensitive layers in float meets the target.
 * It evaluates k = {@code maxFloat} first (every candidate layer in float): when that fails nothing can pass and the
 * search stops; else it halves [0, maxFloat] keeping "k = lo fails, k = hi passes" until the two are adjacent. That
 * is at most {@code 1 + ceil(log2(maxFloat))} candidates after the all-INT8 one. The answer is exact when the metric
 * improves monotonically with k, which the sensitivity order makes likely but does not guarantee; every evaluated
 * candidate is in the history either way.
 */
final class RollbackSearch {
    private RollbackSearch() {}

    /**
     * @param history every candidate evaluated, in evaluation order, starting with the all-INT8 one
     * @param chosen the passing candidate with the smallest k found; null when even {@code maxFloat} fails
     */
    record Outcome(List<Candidate> history, @Nullable Candidate chosen) {
        Outcome {
            history = List.copyOf(history);
        }
    }

    /**
     * @param allInt8 the evaluated k = 0 candidate
     * @param maxFloat the largest k allowed, ≥ 0
     * @param evaluate exports and evaluates the candidate with k layers in float, 1 ≤ k ≤ maxFloat
     */
    static Outcome run(Candidate allInt8, int maxFloat, IntFunction<Candidate> evaluate) {
        if (allInt8.floatCount() != 0) throw new IllegalArgumentException("the first candidate must have k = 0");
        List<Candidate> history = new ArrayList<>(List.of(allInt8));
        if (allInt8.passed()) return new Outcome(history, allInt8);
        if (maxFloat < 1) return new Outcome(history, null);
        Candidate hi = evaluate.apply(maxFloat);
        history.add(hi);
        if (!hi.passed()) return new Outcome(history, null);
        int lo = 0;
        while (hi.floatCount() - lo > 1) {
            int mid = (lo + hi.floatCount()) >>> 1;
            Candidate c = evaluate.apply(mid);
            history.add(c);
            if (c.passed()) {
                hi = c;
            } else {
                lo = mid;
            }
        }
        return new Outcome(history, hi);
    }
}
