package io.quantserve.engine.accuracy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RollbackSearchTest {
    private static Candidate candidate(int k, int needed) {
        List<String> layers = IntStream.range(0, k).mapToObj(i -> "l" + i).toList();
        return new Candidate(k, layers, k, k >= needed);
    }

    @Test
    void findsTheSmallestPassingKWithLogarithmicallyManyEvaluations() {
        for (int maxFloat = 1; maxFloat <= 100; maxFloat++) {
            int max = maxFloat;
            for (int needed = 1; needed <= max; needed++) {
                int n = needed;
                List<Integer> visited = new ArrayList<>();
                RollbackSearch.Outcome o = RollbackSearch.run(candidate(0, n), max, k -> {
                    visited.add(k);
                    return candidate(k, n);
                });
                assertThat(o.chosen()).as("max %d needed %d", max, n).isNotNull();
                assertThat(o.chosen().floatCount()).isEqualTo(n);
                assertThat(visited).doesNotHaveDuplicates().allMatch(k -> k >= 1 && k <= max);
                assertThat(visited.getFirst()).isEqualTo(max);
                assertThat(o.history()).hasSize(visited.size() + 1);
                assertThat(o.history().size()).isLessThanOrEqualTo(2 + AutoQuantizerTest.ceilLog2(max));
            }
        }
    }

    @Test
    void aPassingAllInt8CandidateEndsTheSearchAtOnce() {
        RollbackSearch.Outcome o = RollbackSearch.run(candidate(0, 0), 10, k -> {
            throw new AssertionError("no candidate needed");
        });
        assertThat(o.chosen().floatCount()).isZero();
        assertThat(o.history()).hasSize(1);
    }

    @Test
    void whenEvenEveryCandidateInFloatFailsThereIsNoChoiceAfterOneMoreEvaluation() {
        List<Integer> visited = new ArrayList<>();
        RollbackSearch.Outcome o = RollbackSearch.run(candidate(0, 99), 12, k -> {
            visited.add(k);
            return candidate(k, 99);
        });
        assertThat(o.chosen()).isNull();
        assertThat(visited).containsExactly(12);
        assertThat(o.history()).extracting(Candidate::floatCount).containsExactly(0, 12);
    }

    @Test
    void withNoLayerThatMayStayInFloatNothingMoreIsEvaluated() {
        RollbackSearch.Outcome o = RollbackSearch.run(candidate(0, 1), 0, k -> {
            throw new AssertionError("no candidate allowed");
        });
        assertThat(o.chosen()).isNull();
        assertThat(o.history()).hasSize(1);
    }

    @Test
    void aNonMonotoneMetricStillEndsOnAPassingCandidate() {
        // Passing pattern over k = 0..8: F F T F T T T T T — the search need not find k = 2, but it must pass.
        List<Boolean> passes = new ArrayList<>(Collections.nCopies(9, true));
        passes.set(0, false);
        passes.set(1, false);
        passes.set(3, false);
        RollbackSearch.Outcome o = RollbackSearch.run(
                new Candidate(0, List.of(), 0, false),
                8,
                k -> new Candidate(
                        k, IntStream.range(0, k).mapToObj(i -> "l" + i).toList(), k, passes.get(k)));
        assertThat(o.chosen()).isNotNull();
        assertThat(o.chosen().passed()).isTrue();
        assertThat(o.history())
                .filteredOn(c -> !c.passed())
                .allMatch(c -> c.floatCount() < o.chosen().floatCount());
    }
}
