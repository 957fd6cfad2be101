package io.quantserve.engine.report;

import io.quantserve.engine.QuantServeException;
import io.quantserve.engine.quant.LayerQuantization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;

/**
 * Builds a run's {@link QualityReport} and writes it as {@value #JSON_FILE} and {@value #HTML_FILE}.
 *
 * <p>Weight-side metrics (factors, weight error per channel, bias headroom) need only the models. Activation
 * metrics (clip ratio, histogram, output SQNR and cosine) come from replaying the retained calibration batches
 * ({@link ActivationReplay}); without batches they are reported as not measured. The same input gives the same
 * bytes.
 */
public final class QualityReports {
    public static final String JSON_FILE = "report.json";
    public static final String HTML_FILE = "report.html";

    private QualityReports() {}

    /**
     * @param scratch a folder for the temporary models of the replay (removed again before returning)
     */
    public static QualityReport build(ReportInput in, Path scratch) {
        return build(in, scratch, ReplayListener.NONE);
    }

    /**
     * Builds the report and shows each run of its replay to {@code listener}, which sees no run when there are no
     * feeds.
     *
     * @param scratch a folder for the temporary models of the replay (removed again before returning)
     */
    public static QualityReport build(ReportInput in, Path scratch, ReplayListener listener) {
        boolean replay = !in.feeds().isEmpty();
        Map<String, ActivationReplay.Measured> measured = replay
                ? ActivationReplay.run(in.floatModel(), in.fakeQuantModel(), in.layers(), in.feeds(), scratch, listener)
                : Map.of();
        String missing = replay
                ? "the layer computed nothing in the replayed batches (e.g. an If branch not taken)"
                : "no data given";
        List<QualityReport.Layer> layers = new ArrayList<>();
        for (LayerQuantization lq : in.layers()) {
            String name = lq.layer().name();
            QualityReport.Activation activation = new QualityReport.Activation(
                    lq.activation().scale(),
                    lq.activation().offset(),
                    ReportNumbers.rounded(InputStatistics.clipMin(lq.activation())),
                    ReportNumbers.rounded(InputStatistics.clipMax(lq.activation())));
            QualityReport.Weight weight = WeightErrors.measure(in.floatModel(), lq);
            QualityReport.Bias bias = BiasHeadroom.measure(lq);
            ActivationReplay.Measured m = measured.get(name);
            QualityReport.Input input = m == null
                    ? new QualityReport.Input("not measured: " + missing, 0, null, 0, 0, null, null, null)
                    : m.input().result(missing);
            QualityReport.Output output = m == null
                    ? OutputComparison.notMeasured(ActivationReplay.outputTensor(in.floatModel(), lq.layer()), missing)
                    : m.output().result(missing);
            boolean nonFinite =
                    m != null && (m.input().sawNonFinite() || m.output().sawNonFinite());
            layers.add(new QualityReport.Layer(
                    layers.size(),
                    name,
                    lq.layer().type().opType(),
                    lq.layer().scope(),
                    activation,
                    weight,
                    bias,
                    input,
                    output,
                    LayerFlags.of(activation, weight, bias, input, nonFinite)));
        }
        QualityReport.Replay replaySummary = new QualityReport.Replay(
                in.feeds().size(),
                replay
                        ? "measured on " + in.feeds().size() + " retained calibration batch(es)"
                        : "not measured: no data given; activation metrics need samples");
        return new QualityReport(
                QualityReport.SCHEMA_VERSION,
                in.model(),
                in.mode(),
                in.activationAlgorithm(),
                replaySummary,
                layers,
                SensitivityRanking.rank(layers),
                in.floatLayers(),
                in.notes());
    }

    /**
     * The sensitivity ranking of a {@value #JSON_FILE} that {@link #write} produced, e.g. to pick the layers to keep
     * in float without replaying the calibration batches again.
     *
     * @throws QuantServeException with code {@code invalid-report} when the file is not such a report
     */
    public static QualityReport.Sensitivity readSensitivity(Path json) {
        try {
            return ReportJson.readSensitivity(Files.readString(json));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the quality report " + json, e);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new QuantServeException(
                    "invalid-report", "'" + json + "' is not a quality report of this version: " + e.getMessage(), e);
        }
    }

    /** Writes {@code report} as JSON to {@code json} and as a self-contained page to {@code html}, UTF-8. */
    public static void write(QualityReport report, Path json, Path html) {
        String text = ReportJson.write(report);
        try {
            Files.writeString(json, text);
            Files.writeString(html, ReportPage.render(report, text));
        } catch (IOException e) {
            throw new UncheckedIOException("writing the quality report to " + json.getParent(), e);
        }
    }
}
