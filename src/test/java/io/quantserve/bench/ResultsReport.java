package io.quantserve.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Writes a benchmark's results as {@code results.md} (the tables the README quotes) and {@code results.json}. */
final class ResultsReport {
    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /**
     * The quantize command's progress stages, in order. Each lasts until the next starts; the last one's time is not
     * separable from JVM start and exit (the stage clock starts after JVM start).
     */
    private static final List<String> STAGES =
            List.of("prepare", "fuse", "weights", "calibrate", "export", "verify", "report");

    private ResultsReport() {}

    /** Writes both files into {@code dir}; returns the Markdown. */
    static String write(BenchmarkResults results, Path dir) {
        String markdown = markdown(results);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("results.md"), markdown, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("results.json"), JSON.writeValueAsString(results) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("writing results to " + dir, e);
        }
        return markdown;
    }

    static String markdown(BenchmarkResults r) {
        MachineInfo m = r.machine();
        StringBuilder s = new StringBuilder();
        s.append("# QuantServe benchmark\n\n");
        s.append(String.format(
                Locale.ROOT,
                "%s; %s, %d processors (%d available to the JVM), %s; %.1f GiB RAM; %s; ONNX Runtime %s; Java %s.%n",
                r.startedAt(),
                m.cpuModel(),
                m.processors(),
                m.availableProcessors(),
                m.cpuFlags(),
                m.memoryMib() / 1024.0,
                m.os(),
                m.onnxRuntime(),
                m.java()));
        s.append(String.format(
                Locale.ROOT,
                "Load average (1 min): %.2f at start, %.2f at end (per case below); other work on the machine slows"
                        + " every figure.%n",
                r.loadAtStart(),
                r.loadAtEnd()));
        s.append("Configuration: ")
                .append(
                        r.quantizeOptions().isEmpty()
                                ? "default (IFMR, every quantizable layer INT8, asymmetric activations)"
                                : "default with " + String.join(" ", r.quantizeOptions()))
                .append("; jobs started by ")
                .append(r.launcher())
                .append("; job JVM options: ")
                .append(r.javaOptions().isEmpty() ? "none (default heap)" : String.join(" ", r.javaOptions()))
                .append(".\n\n");

        s.append("## Accuracy\n\n");
        s.append("| model | metric | fp32 | fake-quant | INT8 model | target (fake-quant) | met |\n");
        s.append("|---|---|---|---|---|---|---|\n");
        for (CaseResult c : r.table()) {
            MetricResult x = c.metric();
            if (x == null) {
                s.append("| ")
                        .append(c.name())
                        .append(" | ")
                        .append(c.problem())
                        .append(" | | | | | |\n");
            } else {
                s.append(row(
                        c.name(),
                        x.metric(),
                        x.fp32().text(),
                        x.fakeQuant().text(),
                        x.int8().text(),
                        x.target(),
                        x.targetMet() ? "yes" : "**no**"));
            }
        }

        s.append("\n## Time and memory\n\n");
        s.append("| model | calibration data | fp32 floor s | calibration + export s | × floor | whole job s | × floor"
                + " | peak RSS MiB | load before / after |\n");
        s.append("|---|---|---|---|---|---|---|---|---|\n");
        for (CaseResult c : r.table()) s.append(timing(c));

        s.append("\n## Scaling with calibration data\n\n");
        s.append("| run | calibration data | fp32 floor s | calibration + export s | × floor | whole job s | × floor"
                + " | peak RSS MiB | load before / after |\n");
        s.append("|---|---|---|---|---|---|---|---|---|\n");
        for (CaseResult c : r.scaling()) s.append(timing(c));

        s.append("\n## Where the job's time goes (seconds per stage)\n\n");
        s.append("| run | " + String.join(" | ", STAGES.subList(0, STAGES.size() - 1))
                + " | report + JVM start and exit |\n");
        s.append("|---|" + "---|".repeat(STAGES.size()) + "\n");
        for (CaseResult c : r.table()) s.append(stages(c));
        for (CaseResult c : r.scaling()) s.append(stages(c));

        s.append("\n## Targets\n\n");
        s.append("| goal | measured | met |\n|---|---|---|\n");
        for (TargetCheck t : r.targets()) {
            s.append(row(t.target(), t.measured(), t.met() == null ? "n/a" : t.met() ? "yes" : "**no**"));
        }

        s.append("\n## How it is measured\n\n");
        s.append("- Job: `" + r.launcher() + " quantize --model M --data D"
                + " --batch-size B --batch-num N --out DIR` as a separate process. *Whole job*: process start to exit"
                + " (launcher, JVM start, prepare, calibration, export, verification, report). *Calibration + export*: from the"
                + " `prepare` to the `verify` progress line on stderr (0.1 s resolution).\n");
        s.append("- Peak RSS: `VmHWM` of `/proc/<pid>/status` (the kernel's high-water mark), polled every "
                + QuantizeJob.POLL_MS + " ms until the process exits.\n");
        s.append("- fp32 floor: the same calibration batches (file, batch size, count) through the float model in"
                + " plain ONNX Runtime (default threads and optimisations) in the benchmark's JVM: session creation,"
                + " reading the batches and running them once; the faster of a measurement just before and one just"
                + " after the job.\n");
        s.append("- Detections: YOLOX keeps boxes with objectness × class probability > " + BenchCases.YOLOX_SCORE
                + " after class-wise NMS (IoU " + DetectionDecoders.YOLOX_NMS_IOU + "); UltraFace keeps faces with"
                + " probability > " + BenchCases.ULTRAFACE_PROBABILITY + " after NMS (IoU "
                + DetectionDecoders.ULTRAFACE_NMS_IOU + "). A quantized model's detections must pair one to one"
                + " with fp32's (same class, IoU > " + DetectionMetric.MATCH_IOU + ") on every image of"
                + " `../shared/data/images` (which are also the calibration images).\n");
        return s.toString();
    }

    private static String timing(CaseResult c) {
        QuantizeJob.Run job = c.job();
        InferenceFloor.Floor floor = c.floor();
        String data = c.samples() + " = " + c.batchSize() + " × " + c.batchNum();
        if (job == null || floor == null) {
            return row(c.name(), data, "", "", "", "", "", "", String.valueOf(c.problem()));
        }
        Double calib = job.calibrationAndExportSeconds();
        return row(
                c.name() + (c.problem() == null ? "" : " (" + c.problem() + ")"),
                data,
                seconds(floor.totalSeconds()),
                calib == null ? "n/a" : seconds(calib),
                ratio(c.calibrationAndExportRatio()),
                seconds(job.wallSeconds()),
                ratio(c.wholeJobRatio()),
                String.format(Locale.ROOT, "%.0f", job.peakRssMib()),
                String.format(Locale.ROOT, "%.1f / %.1f", c.loadBefore(), c.loadAfter()));
    }

    private static String stages(CaseResult c) {
        QuantizeJob.Run job = c.job();
        if (job == null) return "";
        List<String> cells = new ArrayList<>(List.of(c.name()));
        for (int k = 0; k + 1 < STAGES.size(); k++) {
            Double start = job.stageStarts().get(STAGES.get(k));
            Double next = job.stageStarts().get(STAGES.get(k + 1));
            cells.add(start == null || next == null ? "n/a" : seconds(next - start));
        }
        Double last = job.stageStarts().get(STAGES.getLast());
        cells.add(last == null ? "n/a" : seconds(job.wallSeconds() - last));
        return row(cells.toArray(String[]::new));
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, s < 10 ? "%.2f" : "%.1f", s);
    }

    private static String ratio(@Nullable Double r) {
        return r == null ? "n/a" : TargetCheck.ratio(r);
    }
}
