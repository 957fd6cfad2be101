package io.quantserve.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.testing.Folders;
import io.quantserve.testing.ModelDatasets;
import io.quantserve.testing.QuantizeArgs;
import io.quantserve.testing.RealModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bin/quantserve} as a user runs it, after {@code mvn package} (the integration-test phase of {@code mvn
 * verify}): it extracts the jar, its first quantize run records the AOT cache, later runs start from it, and the
 * JVM's notices never reach stdout (where quantize prints its JSON result).
 */
class LauncherScriptIT {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path SCRIPT = ROOT.resolve("bin/quantserve");
    private static final Path CLI = ROOT.resolve("target/cli");

    private record Result(int exitCode, String stdout, String stderr) {}

    @BeforeAll
    static void startAfresh() {
        assertThat(ROOT.resolve("target/quantserve.jar"))
                .as("packaged before this test")
                .isRegularFile();
        Folders.deleteTree(CLI);
    }

    @Test
    void firstQuantizeRecordsTheCacheAndLaterRunsRequireIt(@TempDir Path tmp) throws Exception {
        Path model = RealModels.mnistCnn();
        Path data = ModelDatasets.mnistCnnCalibration(32);

        // Two first starts at once: one extracts while the other waits for it, and both run.
        CompletableFuture<Result> other = CompletableFuture.supplyAsync(() -> runUnchecked(Map.of(), "--version"));
        Result version = run(Map.of(), "--version");
        for (Result r : List.of(version, other.join())) {
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout()).startsWith("quantserve ");
        }
        assertThat(ROOT.resolve("target/launcher.lock"))
                .as("the extraction lock is released")
                .doesNotExist();
        assertThat(CLI.resolve("quantserve.jar"))
                .as("the extracted application jar")
                .isRegularFile();
        assertThat(CLI.resolve("ai/onnxruntime/native"))
                .as("ONNX Runtime's libraries, unpacked once")
                .isDirectory();
        assertThat(caches()).as("--version records no cache").isEmpty();

        Result off = run(Map.of("QUANTSERVE_AOT_CACHE", "off"), quantize(model, data, tmp.resolve("off")));
        assertThat(off.exitCode()).as(off.stderr()).isZero();
        assertThat(caches()).as("QUANTSERVE_AOT_CACHE=off records none").isEmpty();

        Result first = run(Map.of(), quantize(model, data, tmp.resolve("first")));
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(json(first.stdout()).get("artefacts").size())
                .as("stdout is the JSON result alone")
                .isGreaterThan(5);
        assertThat(first.stderr()).contains("AOTCache creation is complete");
        assertThat(caches())
                .singleElement()
                .satisfies(c -> assertThat(c.getFileName().toString())
                        .startsWith("quantserve-")
                        .endsWith(".aot"));
        try (Stream<Path> files = Files.list(CLI)) {
            assertThat(files.map(Path::toString)).noneMatch(f -> f.contains(".partial"));
        }

        // AOTMode=on makes the JVM refuse to start when the cache cannot be mapped: a run that succeeds used it.
        Map<String, String> required = Map.of("QUANTSERVE_JAVA_OPTS", "-XX:AOTMode=on");
        Result second = run(required, quantize(model, data, tmp.resolve("second")));
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(json(second.stdout()).get("quantizedLayers").size()).isPositive();
        assertThat(second.stderr()).doesNotContain("AOTCache creation").doesNotContain("[error]");
        Result versionWithCache = run(required, "--version");
        assertThat(versionWithCache.exitCode()).as(versionWithCache.stderr()).isZero();
        assertThat(versionWithCache.stdout()).startsWith("quantserve ");
    }

    private static String[] quantize(Path model, Path data, Path out) {
        return QuantizeArgs.of(model, data, 32, 1, out).toArray(String[]::new);
    }

    private static List<Path> caches() throws IOException {
        try (Stream<Path> files = Files.list(CLI)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".aot"))
                    .toList();
        }
    }

    private static JsonNode json(String stdout) {
        return JsonMapper.builder().build().readTree(stdout);
    }

    private static Result runUnchecked(Map<String, String> environment, String... args) {
        try {
            return run(environment, args);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Result run(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(ROOT.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().remove("QUANTSERVE_JAVA_OPTS");
            builder.environment().remove("QUANTSERVE_AOT_CACHE");
            builder.environment().putAll(environment);
            Process process = builder.start();
            assertThat(process.waitFor(5, TimeUnit.MINUTES))
                    .as("bin/quantserve %s finished", args[0])
                    .isTrue();
            return new Result(
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
