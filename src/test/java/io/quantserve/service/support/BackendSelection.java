package io.quantserve.service.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;

/**
 * Chooses the backends of the service tests: Testcontainers (PostgreSQL and MinIO containers) where a Docker engine
 * answers, else the local ones (the local PostgreSQL cluster or an embedded PostgreSQL, and an s3proxy process).
 *
 * <p>Asking Testcontainers whether Docker is there tries several connection strategies and can take many seconds on
 * a machine without Docker, so it is asked only when something hints at an engine (a {@code DOCKER_HOST}, a known
 * socket file, a {@code ~/.testcontainers.properties}, Windows' named pipe), and then with a time limit. Without any
 * hint the choice costs a few file-existence checks. {@code -D}{@value #PROPERTY}{@code =containers|local} overrides
 * the choice.
 */
final class BackendSelection {
    /** System property that forces a choice: {@code containers} or {@code local}. */
    static final String PROPERTY = "quantserve.test.backends";

    /** The longest wait for Testcontainers' answer about Docker when a hint says to ask. */
    static final Duration PROBE_LIMIT = Duration.ofSeconds(10);

    /** The backends to run. */
    enum Kind {
        CONTAINERS,
        LOCAL
    }

    private BackendSelection() {}

    /** The choice for this JVM: its {@value #PROPERTY} property, environment, home folder and Docker engine. */
    static Kind forThisMachine() {
        return choose(
                System.getProperty(PROPERTY),
                dockerHinted(
                        System.getenv(),
                        Path.of(System.getProperty("user.home")),
                        System.getProperty("os.name", ""),
                        p -> p.toFile().exists()),
                () -> dockerAnswers(PROBE_LIMIT));
    }

    /**
     * The choice.
     *
     * @param override the {@value #PROPERTY} property, or null
     * @param dockerHinted whether anything hints at a Docker engine; without a hint {@code dockerAnswers} is not asked
     * @param dockerAnswers whether a Docker engine answers (slow: asked at most once, and only when hinted)
     * @throws IllegalArgumentException for an override other than {@code containers} and {@code local}
     */
    static Kind choose(@Nullable String override, boolean dockerHinted, BooleanSupplier dockerAnswers) {
        if (override != null && !override.isBlank()) {
            return switch (override.strip().toLowerCase(Locale.ROOT)) {
                case "containers" -> Kind.CONTAINERS;
                case "local" -> Kind.LOCAL;
                default ->
                    throw new IllegalArgumentException(
                            "-D" + PROPERTY + " must be 'containers' or 'local', got '" + override + "'");
            };
        }
        return dockerHinted && dockerAnswers.getAsBoolean() ? Kind.CONTAINERS : Kind.LOCAL;
    }

    /**
     * Whether anything hints at a Docker engine: a non-blank {@code DOCKER_HOST}, a
     * {@code ~/.testcontainers.properties}, Windows (named pipe), or one of the usual socket files of Docker Engine,
     * Docker Desktop, rootless Docker, Colima, Rancher Desktop and Podman.
     */
    static boolean dockerHinted(Map<String, String> env, Path home, String osName, Predicate<Path> exists) {
        String dockerHost = env.get("DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank()) return true;
        if (osName.toLowerCase(Locale.ROOT).startsWith("windows")) return true;
        return candidates(env, home).stream().anyMatch(exists);
    }

    /** The files whose presence hints at an engine. */
    static List<Path> candidates(Map<String, String> env, Path home) {
        List<Path> files = new ArrayList<>(List.of(
                home.resolve(".testcontainers.properties"),
                Path.of("/var/run/docker.sock"),
                Path.of("/run/docker.sock"),
                home.resolve(".docker/run/docker.sock"),
                home.resolve(".docker/desktop/docker.sock"),
                home.resolve(".colima/default/docker.sock"),
                home.resolve(".colima/docker.sock"),
                home.resolve(".rd/docker.sock")));
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank()) {
            files.add(Path.of(runtime, "docker.sock"));
            files.add(Path.of(runtime, "podman/podman.sock"));
        }
        return files;
    }

    /** Whether Testcontainers reaches a Docker engine within {@code limit}; false on timeout or failure. */
    static boolean dockerAnswers(Duration limit) {
        CompletableFuture<Boolean> probe = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().daemon().name("docker-probe").start(() -> {
            try {
                probe.complete(DockerClientFactory.instance().isDockerAvailable());
            } catch (RuntimeException | LinkageError e) {
                probe.complete(false);
            }
        });
        try {
            return probe.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            thread.interrupt();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
