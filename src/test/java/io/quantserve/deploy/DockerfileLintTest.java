package io.quantserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.deploy.Dockerfile.Instruction;
import io.quantserve.deploy.Dockerfile.Stage;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lint of the {@code Dockerfile} and {@code .dockerignore}. hadolint is not obtainable offline (neither Debian nor
 * the Maven or npm registries ship it) and no Docker engine runs here, so these are the rules the image depends on,
 * checked on the parsed file: a multi-stage build whose runtime stage only receives the jar, pinned glibc base
 * images, a non-root user, a health check on the liveness group, an exec-form entry point with native access
 * enabled, container JVM flags, plain syntax the classic builder accepts, and a build context holding exactly what
 * the build copies.
 */
class DockerfileLintTest {
    private static final Path DOCKERFILE = Path.of("Dockerfile");
    private static final Path DOCKERIGNORE = Path.of(".dockerignore");
    private static final String JAR = "/opt/quantserve/quantserve.jar";

    private static Dockerfile dockerfile;

    @BeforeAll
    static void read() {
        dockerfile = Dockerfile.read(DOCKERFILE);
    }

    @Test
    void multiStageBuildCopiesOnlyTheJarIntoTheRuntime() {
        assertThat(dockerfile.stages()).hasSize(2);
        Stage build = dockerfile.stages().getFirst();
        assertThat(build.name()).isEqualTo("build");
        assertThat(build.all("RUN").stream().map(Instruction::arguments))
                .anyMatch(run -> run.contains("mvn ") && run.contains(" package"));

        List<Instruction> copies = dockerfile.runtime().all("COPY");
        assertThat(copies).singleElement().satisfies(copy -> {
            assertThat(copy.flag("from")).hasValue("build");
            assertThat(copy.operands()).isEqualTo("/src/target/quantserve.jar " + JAR);
            // the process must not be able to rewrite its own code
            assertThat(copy.flag("chown")).hasValue("root:root");
        });
    }

    @Test
    void baseImagesArePinnedJdk25OnGlibc() {
        for (Stage stage : dockerfile.stages()) {
            String image = stage.image();
            assertThat(image).as("%s: pinned tag", stage.from()).matches("[^:@]+(:[^:@]+)?(@sha256:[0-9a-f]{64})?");
            String tag = image.contains(":") ? image.substring(image.indexOf(':') + 1) : "";
            assertThat(tag)
                    .as("%s: tag", stage.from())
                    .isNotEmpty()
                    .isNotEqualTo("latest")
                    .containsPattern("\\d");
            // ONNX Runtime's native library is linked against glibc
            assertThat(image).as("%s: glibc base", stage.from()).doesNotContain("alpine", "musl");
        }
        assertThat(dockerfile.stages().getFirst().image()).startsWith("maven:").contains("temurin-25");
        assertThat(dockerfile.runtime().image())
                .startsWith("eclipse-temurin:25")
                .contains("-jre");
    }

    @Test
    void runtimeRunsAsTheNonRootUserItCreates() {
        Stage runtime = dockerfile.runtime();
        Instruction user = runtime.last("USER").orElseThrow(() -> new AssertionError("no USER in the runtime stage"));
        String uid = user.arguments().split(":")[0];

        assertThat(uid).as(user.toString()).matches("[1-9][0-9]*").isNotEqualTo("0");
        assertThat(runtime.all("RUN").stream().map(Instruction::arguments))
                .as("a RUN creates user %s", uid)
                .anyMatch(run -> run.contains("useradd") && run.contains("--uid " + uid));
        // nothing after USER runs as root again or changes files as the user
        assertThat(runtime.instructions()
                        .subList(
                                runtime.instructions().indexOf(user),
                                runtime.instructions().size()))
                .extracting(Instruction::keyword)
                .doesNotContain("RUN", "COPY", "ADD");
    }

    @Test
    void healthCheckProbesTheLivenessGroup() {
        List<Instruction> checks = dockerfile.runtime().all("HEALTHCHECK");

        assertThat(checks).singleElement().satisfies(check -> {
            assertThat(check.operands()).startsWith("CMD [");
            List<String> command =
                    json(check.operands().substring("CMD".length()).strip());
            assertThat(command.getFirst()).isEqualTo("bash");
            assertThat(String.join(" ", command))
                    .contains("/actuator/health/liveness")
                    .contains("/dev/tcp/127.0.0.1/${MANAGEMENT_SERVER_PORT:-${SERVER_PORT:-8080}}");
            assertThat(check.flag("start-period")).isPresent();
            assertThat(check.flag("timeout")).isPresent();
        });
        assertThat(env("SERVER_PORT")).isEqualTo("8080");
        assertThat(dockerfile.runtime().all("EXPOSE").stream().map(Instruction::arguments))
                .containsExactly("8080");
    }

    @Test
    void entrypointIsExecFormJavaWithNativeAccessAndServeByDefault() {
        Stage runtime = dockerfile.runtime();
        Instruction entrypoint = runtime.last("ENTRYPOINT").orElseThrow();
        // shell form would make /bin/sh PID 1, which does not pass SIGTERM on to java
        assertThat(entrypoint.arguments()).as("%s: exec form", entrypoint).startsWith("[");
        List<String> command = json(entrypoint.arguments());

        assertThat(command.getFirst()).isEqualTo("java");
        assertThat(command).contains("--enable-native-access=ALL-UNNAMED");
        assertThat(command.subList(command.size() - 2, command.size())).containsExactly("-jar", JAR);
        assertThat(json(runtime.last("CMD").orElseThrow().arguments())).containsExactly("serve");
    }

    @Test
    void jvmFlagsFitAContainer() {
        String options = env("JDK_JAVA_OPTIONS");

        assertThat(options)
                .containsPattern("-XX:MaxRAMPercentage=[1-9][0-9]")
                .contains("-XX:+ExitOnOutOfMemoryError")
                .contains("-Djava.io.tmpdir=/tmp");
    }

    @Test
    void usesOnlySyntaxTheClassicBuilderAccepts() {
        for (Stage stage : dockerfile.stages()) {
            for (Instruction instruction : stage.instructions()) {
                assertThat(instruction.keyword()).as(instruction.toString()).isNotEqualTo("ADD");
                assertThat(instruction.flags())
                        .as(instruction.toString())
                        .noneMatch(f -> f.startsWith("--mount") || f.startsWith("--chmod") || f.startsWith("--link"));
                assertThat(instruction.arguments()).as(instruction.toString()).doesNotContain("<<");
                if (instruction.keyword().equals("RUN")
                        && instruction.arguments().contains("apt-get install")) {
                    assertThat(instruction.arguments())
                            .contains("--no-install-recommends")
                            .contains("rm -rf /var/lib/apt/lists");
                }
                assertThat(instruction.arguments()).as(instruction.toString()).doesNotContain("sudo ");
            }
        }
    }

    @Test
    void buildContextHoldsWhatTheBuildCopiesAndNothingElse() throws IOException {
        List<String> patterns = Files.readAllLines(DOCKERIGNORE).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        Set<String> copied = dockerfile.stages().stream()
                .flatMap(s -> s.all("COPY").stream())
                .filter(c -> c.flag("from").isEmpty())
                .flatMap(c -> {
                    String[] words = c.operands().split("\\s+");
                    return Stream.of(words).limit(words.length - 1);
                })
                .collect(Collectors.toSet());

        assertThat(copied).containsExactlyInAnyOrder("pom.xml", "openapi.yaml", "src/main");
        for (String source : copied) {
            assertThat(Path.of(source)).exists();
            assertThat(ignored(patterns, source))
                    .as("%s is in the build context", source)
                    .isFalse();
            if (Files.isDirectory(Path.of(source))) {
                try (Stream<Path> files = Files.walk(Path.of(source))) {
                    assertThat(files.filter(Files::isRegularFile).map(Path::toString))
                            .noneMatch(f -> ignored(patterns, f));
                }
            }
        }
        for (String excluded : List.of(".git/config", "target/quantserve.jar", "src/test/java/X.java", "README.md")) {
            assertThat(ignored(patterns, excluded))
                    .as("%s is left out of the context", excluded)
                    .isTrue();
        }
    }

    /** Docker's rule: the last pattern matching the path or one of its parent folders decides; {@code !} keeps. */
    private static boolean ignored(List<String> patterns, String file) {
        boolean ignored = false;
        for (String pattern : patterns) {
            boolean keep = pattern.startsWith("!");
            String glob = keep ? pattern.substring(1) : pattern;
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            for (Path p = Path.of(file); p != null; p = p.getParent()) {
                if (matcher.matches(p)) {
                    ignored = !keep;
                    break;
                }
            }
        }
        return ignored;
    }

    /** The value {@code ENV} gives {@code name} in the runtime stage, {@code NAME="value"} form. */
    private static String env(String name) {
        for (Instruction instruction : dockerfile.runtime().all("ENV")) {
            Matcher m =
                    Pattern.compile("(?:^|\\s)" + name + "=(\"[^\"]*\"|\\S+)").matcher(instruction.arguments());
            if (m.find()) {
                String value = m.group(1);
                return value.startsWith("\"") ? value.substring(1, value.length() - 1) : value;
            }
        }
        throw new AssertionError("no ENV " + name + " in the runtime stage");
    }

    private static List<String> json(String array) {
        return Objects.requireNonNull(
                JsonMapper.builder().build().readValue(array, new TypeReference<List<String>>() {}));
    }
}
