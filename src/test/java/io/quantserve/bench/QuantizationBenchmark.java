package io.quantserve.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.testing.Folders;
import io.quantserve.testing.ModelDatasets;
import io.quantserve.testing.RealModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.opentest4j.TestAbortedException;

/**
 * The benchmark, run on demand by {@code mvn -B verify -Pbench} (the profile packages the jar first and sets {@code
 * quantserve.bench=true}); never part of the default build. Measures the model table and the scaling pairs
 * ({@link BenchCases}), writes {@code results.md} and {@code results.json} and prints the Markdown. Fails only when a
 * quantize job or an evaluation failed (after writing the results); missed targets are reported, not failed.
 *
 * <p>System properties: {@code quantserve.bench.launcher} ({@code script}, the default: jobs run through {@code
 * bin/quantserve} as the README tells users to, after one untimed quantize run that lets it record its start-up cache;
 * {@code jar}: {@code java -jar} on the fat jar), {@code quantserve.bench.jar} (default {@code target/quantserve.jar};
 * the script always runs the checkout's jar), {@code quantserve.bench.out} (default {@code target/bench}), {@code quantserve.bench.javaOptions} (extra JVM options for
 * the jobs, space-separated), {@code quantserve.bench.quantizeOptions} (extra {@code quantize} options, e.g. {@code
 * --act-algo auto}), {@code quantserve.bench.only} (comma-separated case names, e.g. {@code
 * mnist_cnn,scaling_mnist_1x,scaling_mnist_8x}).
 */
@EnabledIfSystemProperty(named = "quantserve.bench", matches = "true")
class QuantizationBenchmark {

    @Test
    void benchmark() {
        Path jar = Path.of(System.getProperty("quantserve.bench.jar", "target/quantserve.jar"));
        Path out = Path.of(System.getProperty("quantserve.bench.out", "target/bench"));
        List<String> javaOptions = words(System.getProperty("quantserve.bench.javaOptions", ""));
        List<String> quantizeOptions = words(System.getProperty("quantserve.bench.quantizeOptions", ""));
        Set<String> only =
                Set.copyOf(words(System.getProperty("quantserve.bench.only", "").replace(',', ' ')));
        assertThat(jar).as("the quantserve jar (the bench profile packages it)").isRegularFile();

        String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        double loadAtStart = MachineInfo.loadAverage();
        JobLauncher launcher = switch (System.getProperty("quantserve.bench.launcher", "script")) {
            case "script" -> JobLauncher.script(Path.of("bin/quantserve").toAbsolutePath(), javaOptions);
            case "jar" -> JobLauncher.jar(jar.toAbsolutePath(), javaOptions);
            default ->
                throw new IllegalArgumentException("quantserve.bench.launcher is script or jar, not "
                        + System.getProperty("quantserve.bench.launcher"));
        };
        BenchmarkRunner runner = new BenchmarkRunner(launcher, quantizeOptions, out.toAbsolutePath());
        warmUpOnnxRuntime();
        if (launcher.recordsCache()) recordStartUpCache(launcher, out.toAbsolutePath());
        List<CaseResult> table = run(runner, BenchCases.table(), only);
        List<CaseResult> scaling =
                run(runner, BenchCases.scaling(out.toAbsolutePath().resolve("data")), only);
        BenchmarkResults results = new BenchmarkResults(
                startedAt,
                MachineInfo.current(),
                loadAtStart,
                MachineInfo.loadAverage(),
                launcher.description(),
                javaOptions,
                quantizeOptions,
                table,
                scaling,
                TargetCheck.of(table, scaling));
        System.out.println(ResultsReport.write(results, out));
        System.out.println("written: " + out.resolve("results.md") + ", " + out.resolve("results.json"));

        List<String> failures = new ArrayList<>();
        for (CaseResult c : table) if (c.problem() != null && !c.skipped()) failures.add(c.name() + ": " + c.problem());
        for (CaseResult c : scaling)
            if (c.problem() != null && !c.skipped()) failures.add(c.name() + ": " + c.problem());
        assertThat(failures).as("failed benchmark cases").isEmpty();
        assertThat(Files.exists(out.resolve("results.json"))).isTrue();
    }

    private static List<CaseResult> run(BenchmarkRunner runner, List<BenchCase> cases, Set<String> only) {
        List<CaseResult> out = new ArrayList<>();
        for (BenchCase c : cases) {
            if (!only.isEmpty() && !only.contains(c.name())) continue;
            System.out.println("bench: " + c.name());
            out.add(runner.run(c));
        }
        return out;
    }

    /**
     * Loads ONNX Runtime and the data classes in this JVM before the first floor is measured, so the first case's
     * floor is not charged with it (the job's own start-up is part of its wall time, as for a user).
     */
    private static void warmUpOnnxRuntime() {
        try {
            InferenceFloor.measure(RealModels.mnistCnn(), ModelDatasets.mnistCnnCalibration(32), 32, 1);
        } catch (TestAbortedException absent) {
            System.out.println("bench: no warm-up, " + absent.getMessage());
        }
    }

    /**
     * One untimed quantize run (MNIST, one batch), as a user's first run: the launcher extracts the jar and records
     * its AOT cache, which the measured jobs then start from.
     */
    private static void recordStartUpCache(JobLauncher launcher, Path out) {
        Path model;
        Path data;
        try {
            model = RealModels.mnistCnn();
            data = ModelDatasets.mnistCnnCalibration(32);
        } catch (TestAbortedException absent) {
            System.out.println("bench: no start-up cache recorded first, " + absent.getMessage());
            return;
        }
        Path dir = out.resolve("warm-up");
        Folders.deleteTree(dir);
        QuantizeJob.Run run =
                QuantizeJob.run(launcher, List.of(), model, data, 32, 1, dir.resolve("run"), dir.resolve("job.log"));
        assertThat(run.exitCode()).as("the untimed first run, see " + run.log()).isZero();
    }

    private static List<String> words(String s) {
        return Arrays.stream(s.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }
}
