package io.quantserve.engine.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code report.html}: one self-contained page (inline CSS, JavaScript and SVG; a Content-Security-Policy that
 * forbids every fetch) built from a template resource. The SQNR chart, the tables and the lists are rendered here;
 * the activation histogram is drawn in the browser from the report JSON embedded in the page, for the layer chosen
 * in a select box (the worst-ranked layer at first). Deterministic: the same report gives the same bytes.
 */
final class ReportPage {
    private static final String TEMPLATE = "report-template.html";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Z]+)}}");

    private ReportPage() {}

    /**
     * @param json the report as {@link ReportJson} writes it, embedded unchanged apart from script-safe escapes
     */
    static String render(QualityReport report, String json) {
        Map<String, String> parts = Map.of(
                "TITLE", Html.escape("Quality report: " + report.model()),
                "HEADING", Html.escape("Quality report: " + report.model()),
                "SUBTITLE", Html.escape(subtitle(report)),
                "SUMMARY", summary(report),
                "CHART", SqnrChart.svg(report),
                "OPTIONS", options(report),
                "TABLE", LayerTable.html(report),
                "RANKING", ranking(report),
                "NOTES", notes(report),
                "FOOTER",
                        Html.escape("QuantServe report, schema version " + report.schemaVersion()
                                + ". Decibel values are clamped to ±" + (int) ReportNumbers.DB_LIMIT
                                + " dB; the same data is in report.json."));
        Matcher m = PLACEHOLDER.matcher(template());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String value = key.equals("DATA") ? Html.scriptJson(json.strip()) : parts.get(key);
            if (value == null) throw new IllegalStateException("report template has an unknown part {{" + key + "}}");
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String subtitle(QualityReport r) {
        return r.mode() + " run, activation ranges by " + r.activationAlgorithm() + "; "
                + r.replay().status();
    }

    private static String summary(QualityReport r) {
        QualityReport.Sensitivity s = r.sensitivity();
        long flagged = r.layers().stream().filter(l -> !l.flags().isEmpty()).count();
        StringBuilder b = new StringBuilder("<dl class=\"summary\">\n");
        item(b, "Model", Html.escape(r.model()));
        item(b, "Run", Html.escape(r.mode() + " (activation algorithm " + r.activationAlgorithm() + ")"));
        item(b, "Activation metrics", Html.escape(r.replay().status()));
        item(b, "Layers quantized", String.valueOf(r.layers().size()));
        item(b, "Layers left in float", String.valueOf(r.floatLayers().size()));
        item(b, "Layers with flags", String.valueOf(flagged));
        item(
                b,
                "Median " + Html.escape(s.basis()),
                s.medianDb() == null ? "<span class=\"na\">n/a</span>" : Html.fixed(s.medianDb(), 2) + " dB");
        item(
                b,
                "Suggested skip layers",
                s.suggestedSkipLayers().isEmpty()
                        ? "none"
                        : "<span class=\"skipnames\">" + Html.escape(String.join(", ", s.suggestedSkipLayers()))
                                + "</span>");
        return b.append("</dl>").toString();
    }

    private static void item(StringBuilder b, String term, String html) {
        b.append("<dt>").append(term).append("</dt><dd>").append(html).append("</dd>\n");
    }

    /** One option per layer in graph order; the worst-ranked layer is selected. */
    private static String options(QualityReport r) {
        List<QualityReport.Ranked> ranking = r.sensitivity().ranking();
        String first = ranking.isEmpty()
                ? (r.layers().isEmpty() ? "" : r.layers().get(0).name())
                : ranking.get(0).name();
        StringBuilder b = new StringBuilder();
        for (QualityReport.Layer l : r.layers()) {
            b.append("<option value=\"").append(l.index()).append('"');
            if (l.name().equals(first)) b.append(" selected");
            b.append('>')
                    .append(Html.escape(l.name() + " (" + l.opType() + ")"))
                    .append("</option>");
        }
        return b.toString();
    }

    private static String ranking(QualityReport r) {
        QualityReport.Sensitivity s = r.sensitivity();
        StringBuilder b = new StringBuilder("<p>Ranked by <b>")
                .append(Html.escape(s.basis()))
                .append("</b>, worst first. Rule: ")
                .append(Html.escape(s.rule()))
                .append(s.thresholdDb() == null ? "" : " (threshold " + Html.fixed(s.thresholdDb(), 2) + " dB)")
                .append(".</p>\n");
        if (s.ranking().isEmpty()) {
            return b.append("<p class=\"na\">no layer has a value to rank</p>").toString();
        }
        b.append("<table><thead><tr><th>rank</th><th class=\"name\">layer</th><th>dB</th>")
                .append(
                        "<th>AMCT score (0.5+0.5·cos)</th><th class=\"text\">suggested skip</th></tr></thead><tbody>\n");
        for (QualityReport.Ranked k : s.ranking()) {
            b.append(k.suggestedSkip() ? "<tr class=\"skip\">" : "<tr>")
                    .append("<td>")
                    .append(k.rank())
                    .append("</td><td class=\"name\">")
                    .append(Html.escape(k.name()))
                    .append("</td><td>")
                    .append(Html.fixed(k.sqnrDb(), 2))
                    .append("</td><td>")
                    .append(Html.fixed(k.amctScore(), 6))
                    .append("</td><td class=\"text\">")
                    .append(k.suggestedSkip() ? "yes" : "")
                    .append("</td></tr>\n");
        }
        return b.append("</tbody></table>").toString();
    }

    private static String notes(QualityReport r) {
        StringBuilder b = new StringBuilder();
        list(b, "Left in float", r.floatLayers());
        list(b, "Notes", r.notes());
        return b.toString();
    }

    private static void list(StringBuilder b, String title, List<String> items) {
        b.append("<h3>").append(title).append("</h3>");
        if (items.isEmpty()) {
            b.append("<p class=\"na\">none</p>\n");
            return;
        }
        b.append("<ul>");
        items.forEach(i -> b.append("<li>").append(Html.escape(i)).append("</li>"));
        b.append("</ul>\n");
    }

    private static String template() {
        try (InputStream in = ReportPage.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) throw new IllegalStateException("report template resource missing: " + TEMPLATE);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the report template", e);
        }
    }
}
