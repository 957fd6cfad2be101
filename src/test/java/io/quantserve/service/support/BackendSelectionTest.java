package io.quantserve.service.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.service.support.BackendSelection.Kind;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The choice between Testcontainers and the local backends, without Docker: the engine's answer is a stub. */
class BackendSelectionTest {
    private static final Path HOME = Path.of("/home/tester");

    @Test
    void withoutAHintDockerIsNotAskedAndTheLocalBackendsRun() {
        Probe probe = new Probe(true);
        assertThat(BackendSelection.choose(null, false, probe)).isEqualTo(Kind.LOCAL);
        assertThat(probe.calls.get()).as("no slow probe without a hint").isZero();
    }

    @Test
    void withAHintTheEnginesAnswerDecides() {
        Probe answers = new Probe(true);
        Probe silent = new Probe(false);
        assertThat(BackendSelection.choose(null, true, answers)).isEqualTo(Kind.CONTAINERS);
        assertThat(BackendSelection.choose(null, true, silent)).isEqualTo(Kind.LOCAL);
        assertThat(answers.calls.get()).isEqualTo(1);
        assertThat(silent.calls.get()).isEqualTo(1);
    }

    @Test
    void thePropertyOverridesTheChoiceWithoutAskingDocker() {
        Probe probe = new Probe(true);
        assertThat(BackendSelection.choose("local", true, probe)).isEqualTo(Kind.LOCAL);
        assertThat(BackendSelection.choose(" Containers ", false, probe)).isEqualTo(Kind.CONTAINERS);
        assertThat(BackendSelection.choose("", false, probe)).isEqualTo(Kind.LOCAL);
        assertThat(probe.calls.get()).isZero();
        assertThatThrownBy(() -> BackendSelection.choose("docker", true, probe))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(BackendSelection.PROPERTY);
    }

    @Test
    void hintsAreDockerHostWindowsTheTestcontainersFileAndKnownSockets() {
        Set<Path> none = Set.of();
        assertThat(BackendSelection.dockerHinted(Map.of(), HOME, "Linux", none::contains))
                .isFalse();
        assertThat(BackendSelection.dockerHinted(Map.of("DOCKER_HOST", " "), HOME, "Linux", none::contains))
                .as("a blank DOCKER_HOST is no hint")
                .isFalse();
        assertThat(BackendSelection.dockerHinted(
                        Map.of("DOCKER_HOST", "tcp://10.0.0.2:2375"), HOME, "Linux", none::contains))
                .isTrue();
        assertThat(BackendSelection.dockerHinted(Map.of(), HOME, "Windows 11", none::contains))
                .isTrue();
        for (Path file : Set.of(
                Path.of("/var/run/docker.sock"),
                HOME.resolve(".testcontainers.properties"),
                HOME.resolve(".docker/run/docker.sock"),
                HOME.resolve(".colima/default/docker.sock"))) {
            Set<Path> present = new HashSet<>(Set.of(file));
            assertThat(BackendSelection.dockerHinted(Map.of(), HOME, "Linux", present::contains))
                    .as("%s", file)
                    .isTrue();
        }
        Set<Path> rootless = Set.of(Path.of("/run/user/1000/docker.sock"));
        assertThat(BackendSelection.dockerHinted(Map.of(), HOME, "Linux", rootless::contains))
                .as("a rootless socket counts only under XDG_RUNTIME_DIR")
                .isFalse();
        assertThat(BackendSelection.dockerHinted(
                        Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), HOME, "Linux", rootless::contains))
                .isTrue();
    }

    /** A stand-in for Testcontainers' Docker probe that counts its calls. */
    private static final class Probe implements BooleanSupplier {
        private final boolean answer;
        private final AtomicInteger calls = new AtomicInteger();

        Probe(boolean answer) {
            this.answer = answer;
        }

        @Override
        public boolean getAsBoolean() {
            calls.incrementAndGet();
            return answer;
        }
    }
}
