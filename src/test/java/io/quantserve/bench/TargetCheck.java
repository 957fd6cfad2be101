package io.quantserve.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One of the goals against what the benchmark measured.
 *
 * @param target the goal, in words
 * @param measured the figure measured
 * @param met true or false; null when the benchmark cannot decide (the case was skipped or failed)
 */
record TargetCheck(String target, String measured, @Nullable Boolean met) {
    /** Calibration + export within this multiple of the fp32 floor. */
    static final double CALIBRATION_RATIO = 1.5;
    /** The whole job within this multiple of the fp32 floor. */
    static final double WHOLE_RATIO = 3;
    /** Peak RSS with 8× the calibration data within this multiple of the 1× figure. */
    static final double RSS_SCALING = 1.1;
    /** PP-OCRv3 rec with 64 lines: peak RSS below 1 GB (10⁹ bytes). */
    static final double OCR_REC_RSS_BYTES = 1e9;

    /**
     * Every goal the results can be checked against, table cases first, then the scaling pairs (a case named {@code
     * …_1x} with its {@code …_8x} partner).
     */
    static List<TargetCheck> of(List<CaseResult> table, List<CaseResult> scaling) {
        List<TargetCheck> out = new ArrayList<>();
        for (CaseResult c : table) {
            MetricResult m = c.metric();
            out.add(
                    m == null
                            ? new TargetCheck(c.name() + ": accuracy target", String.valueOf(c.problem()), null)
                            : new TargetCheck(
                                    c.name() + ": " + m.target(), m.fakeQuant().text(), m.targetMet()));
        }
        for (CaseResult c : table) {
            Double r = c.calibrationAndExportRatio();
            out.add(new TargetCheck(
                    c.name() + ": calibration + export ≤ " + CALIBRATION_RATIO + "× fp32 floor",
                    r == null ? String.valueOf(c.problem()) : ratio(r),
                    r == null ? null : r <= CALIBRATION_RATIO));
            Double w = c.wholeJobRatio();
            out.add(new TargetCheck(
                    c.name() + ": whole run ≤ " + WHOLE_RATIO + "× fp32 floor",
                    w == null ? String.valueOf(c.problem()) : ratio(w),
                    w == null ? null : w <= WHOLE_RATIO));
        }
        for (CaseResult c : table) {
            if (c.name().equals("ppocr_rec")) {
                QuantizeJob.Run job = c.job();
                out.add(new TargetCheck(
                        "ppocr_rec, " + c.samples() + " lines: peak RSS < 1 GB",
                        job == null ? String.valueOf(c.problem()) : mib(job.peakRssMib()),
                        job == null ? null : job.peakRssMib() * 1024 * 1024 < OCR_REC_RSS_BYTES));
            }
        }
        for (CaseResult one : scaling) {
            if (!one.name().endsWith("_1x")) continue;
            String name = one.name().replace("scaling_", "").replace("_1x", "");
            String goal = name + ": peak RSS at 8× ≤ " + RSS_SCALING + "× the 1× figure";
            CaseResult eight = scaling.stream()
                    .filter(c -> c.name().equals(one.name().replace("_1x", "_8x")))
                    .findFirst()
                    .orElse(null);
            if (eight == null || one.job() == null || eight.job() == null) {
                out.add(new TargetCheck(goal, "n/a", null));
                continue;
            }
            double r = eight.job().peakRssMib() / one.job().peakRssMib();
            out.add(new TargetCheck(
                    goal,
                    mib(one.job().peakRssMib()) + " → " + mib(eight.job().peakRssMib()) + " (" + ratio(r) + ")",
                    r <= RSS_SCALING));
        }
        return out;
    }

    static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2f×", r);
    }

    static String mib(double mib) {
        return String.format(Locale.ROOT, "%.0f MiB", mib);
    }
}
