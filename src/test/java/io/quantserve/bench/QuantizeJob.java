package io.quantserve.bench;

import io.quantserve.testing.QuantizeArgs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SequencedMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The {@code quantize} command run the way a user runs it: a separate process started by a {@link JobLauncher}
 * ({@code bin/quantserve quantize …} by default), default configuration (IFMR, every quantizable layer). Its wall time is measured from just before the process starts to its exit; its peak RSS is the
 * kernel's high-water mark {@code VmHWM} of {@code /proc/<pid>/status}, polled every {@value #POLL_MS} ms while it
 * runs (the mark only grows, so the last reading before exit misses at most the last {@value #POLL_MS} ms).
 */
final class QuantizeJob {
    static final long POLL_MS = 10;

    private QuantizeJob() {}

    /**
     * What one run measured.
     *
     * @param command the command line
     * @param exitCode the process's exit status (0 = success)
     * @param wallSeconds process start to exit
     * @param peakRssMib peak resident set size in MiB (VmHWM)
     * @param stageStarts stage → start in seconds after the command began ({@link StageTimes})
     * @param outDir the output folder
     * @param log the file holding the command's standard output and error
     */
    record Run(
            List<String> command,
            int exitCode,
            double wallSeconds,
            double peakRssMib,
            SequencedMap<String, Double> stageStarts,
            String outDir,
            String log) {

        /**
         * Calibration and export: from the start of {@code prepare} to the start of {@code verify} (model preparation,
         * fusion, weights, the calibration pass and writing the models); null when a stage line is missing.
         */
        @Nullable
        Double calibrationAndExportSeconds() {
            Double start = stageStarts.get("prepare");
            Double verify = stageStarts.get("verify");
            return start == null || verify == null ? null : verify - start;
        }
    }

    /**
     * Runs {@code quantize} and waits for it.
     *
     * @param launcher how the command is started
     * @param quantizeOptions extra options appended to the {@code quantize} command line
     * @param logFile receives standard output, then standard error
     */
    static Run run(
            JobLauncher launcher,
            List<String> quantizeOptions,
            Path model,
            Path data,
            int batchSize,
            int batchNum,
            Path outDir,
            Path logFile) {
        List<String> command = new ArrayList<>(launcher.prefix());
        command.addAll(QuantizeArgs.of(model, data, batchSize, batchNum, outDir));
        command.addAll(quantizeOptions);
        try {
            Files.createDirectories(logFile.getParent());
            Path stdout = logFile.resolveSibling(logFile.getFileName() + ".stdout");
            Path stderr = logFile.resolveSibling(logFile.getFileName() + ".stderr");
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            builder.environment().putAll(launcher.environment());
            long start = System.nanoTime();
            Process process = builder.start();
            long peakKib = 0;
            while (!process.waitFor(POLL_MS, TimeUnit.MILLISECONDS)) {
                peakKib = Math.max(peakKib, ProcStatus.peakRssKib(process.pid()).orElse(0));
            }
            double wall = (System.nanoTime() - start) / 1e9;
            List<String> errLines = Files.readAllLines(stderr, StandardCharsets.UTF_8);
            List<String> log = new ArrayList<>(List.of("$ " + String.join(" ", command)));
            log.addAll(Files.readAllLines(stdout, StandardCharsets.UTF_8));
            log.addAll(errLines);
            Files.write(logFile, log, StandardCharsets.UTF_8);
            Files.delete(stdout);
            Files.delete(stderr);
            return new Run(
                    List.copyOf(command),
                    process.exitValue(),
                    wall,
                    peakKib / 1024.0,
                    StageTimes.parse(errLines),
                    outDir.toString(),
                    logFile.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("running " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + command, e);
        }
    }
}
