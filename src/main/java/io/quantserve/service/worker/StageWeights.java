package io.quantserve.service.worker;

import java.util.Map;

/**
 * Where each stage of a job starts and ends on the 0-to-1 progress scale. Calibration takes most of it and advances
 * with the batches; the numbers are measured shares of a typical CNN run, good enough for a progress bar and an ETA.
 */
final class StageWeights {
    /** A stage's span of the progress scale. */
    record Span(double start, double end) {
        double at(double fractionOfStage) {
            return start + (end - start) * Math.max(0, Math.min(1, fractionOfStage));
        }
    }

    private static final Map<String, Span> SPANS = Map.ofEntries(
            Map.entry("claimed", new Span(0, 0)),
            Map.entry("fetch", new Span(0, 0.05)),
            Map.entry("prepare", new Span(0.05, 0.08)),
            Map.entry("fuse", new Span(0.08, 0.10)),
            Map.entry("weights", new Span(0.10, 0.15)),
            Map.entry("calibrate", new Span(0.15, 0.70)),
            Map.entry("statistics", new Span(0.15, 0.30)),
            Map.entry("export", new Span(0.70, 0.80)),
            Map.entry("verify", new Span(0.80, 0.85)),
            Map.entry("report", new Span(0.85, 0.92)),
            Map.entry("evaluate", new Span(0.92, 0.96)),
            Map.entry("upload", new Span(0.96, 1.0)));

    private StageWeights() {}

    /** The span of {@code stage}; an unknown stage sits where the previous one ended. */
    static Span of(String stage, double current) {
        return SPANS.getOrDefault(stage, new Span(current, current));
    }
}
