package io.quantserve.service.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one transition table of jobs, pair by pair. */
class JobStateTest {
    private static final Set<String> LEGAL = Set.of(
            "QUEUED>RUNNING",
            "QUEUED>CANCELLED",
            "RUNNING>SUCCEEDED",
            "RUNNING>FAILED",
            "RUNNING>CANCELLED",
            "RUNNING>QUEUED");

    @Test
    void exactlyTheDocumentedTransitionsAreLegal() {
        for (JobState from : JobState.values()) {
            for (JobState to : JobState.values()) {
                assertThat(from.canBecome(to)).as(from + " -> " + to).isEqualTo(LEGAL.contains(from + ">" + to));
            }
        }
    }

    @Test
    void finalStatesLeadNowhere() {
        assertThat(EnumSet.allOf(JobState.class).stream().filter(JobState::isTerminal))
                .containsExactlyInAnyOrder(JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED);
    }

    @Test
    void anIllegalTransitionNamesTheJobAndItsCurrentState() {
        assertThatThrownBy(() -> JobState.SUCCEEDED.requireTransition("job-7", JobState.CANCELLED))
                .isInstanceOf(IllegalJobTransitionException.class)
                .hasMessage("job 'job-7' is SUCCEEDED and cannot become CANCELLED (SUCCEEDED is a final state)")
                .satisfies(e -> assertThat(((IllegalJobTransitionException) e).current())
                        .isEqualTo(JobState.SUCCEEDED));
        assertThatThrownBy(() -> JobState.QUEUED.requireTransition("job-8", JobState.SUCCEEDED))
                .hasMessage("job 'job-8' is QUEUED and cannot become SUCCEEDED");
    }
}
