package io.quantserve.engine.report;

import java.util.List;

/** Hand-made report records for tests that need no model. */
final class ReportSamples {
    private ReportSamples() {}

    /** A measured Conv layer with the given SQNRs (null: not measured) and a small histogram. */
    static QualityReport.Layer layer(int index, String name, Double isolatedDb, Double inModelDb) {
        boolean measured = isolatedDb != null;
        return new QualityReport.Layer(
                index,
                name,
                "Conv",
                "",
                new QualityReport.Activation(0.01f, 0, -1.28, 1.27),
                new QualityReport.Weight(
                        new QualityReport.ScaleSummary(2, 0.001f, 0.002f), 2, 0, 48.0, 1, 47.0, 0.0039, 0.003),
                new QualityReport.Bias(1000, 4.65661e-7),
                measured
                        ? new QualityReport.Input(
                                "measured",
                                6,
                                0.0,
                                0,
                                0,
                                -0.5,
                                0.75,
                                new QualityReport.Histogram(-1.28, 1.27, histogram()))
                        : new QualityReport.Input("not measured: no data given", 0, null, 0, 0, null, null, null),
                new QualityReport.Output(
                        measured ? "measured" : "not measured: no data given",
                        name + "_out",
                        inModelDb,
                        measured ? 0.9999 : null,
                        isolatedDb,
                        measured ? 0.99995 : null),
                List.of());
    }

    static long[] histogram() {
        long[] counts = new long[StreamingHistogram.BINS];
        counts[40] = 1;
        counts[64] = 3;
        counts[100] = 2;
        return counts;
    }

    static QualityReport report(List<QualityReport.Layer> layers) {
        return new QualityReport(
                QualityReport.SCHEMA_VERSION,
                "sample",
                "quantize",
                "minmax",
                new QualityReport.Replay(1, "measured on 1 retained calibration batch(es)"),
                layers,
                SensitivityRanking.rank(layers),
                List.of("skipped_conv: quant_enable is false"),
                List.of("a note"));
    }
}
