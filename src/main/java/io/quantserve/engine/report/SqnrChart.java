package io.quantserve.engine.report;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The per-layer SQNR bar chart as inline SVG, one row per layer in graph order. With data each row has two bars:
 * the layer quantized alone (the ranking's basis) and the layer in the fake-quant model; without data one bar, the
 * weight SQNR. Suggested skip layers are drawn in red; dashed lines mark the median and the skip threshold.
 */
final class SqnrChart {
    private static final int WIDTH = 900;
    private static final int LABEL = 210;
    private static final int RIGHT = 70;
    private static final int TOP = 40;
    private static final int BOTTOM = 34;
    private static final int ROW = 24;
    private static final int MAX_LABEL = 30;

    private SqnrChart() {}

    private record Row(
            String name, @Nullable Double primary, @Nullable Double secondary, boolean skip) {}

    static String svg(QualityReport report) {
        boolean measured = report.sensitivity().basis().equals(SensitivityRanking.ISOLATED_BASIS);
        Set<String> skip = new HashSet<>(report.sensitivity().suggestedSkipLayers());
        List<Row> rows = report.layers().stream()
                .map(l -> measured
                        ? new Row(
                                l.name(),
                                l.output().isolatedSqnrDb(),
                                l.output().sqnrDb(),
                                skip.contains(l.name()))
                        : new Row(
                                l.name(),
                                l.weight() == null ? null : l.weight().sqnrDb(),
                                null,
                                skip.contains(l.name())))
                .toList();
        double top = 10;
        for (Row r : rows) {
            if (r.primary() != null) top = Math.max(top, r.primary());
            if (r.secondary() != null) top = Math.max(top, r.secondary());
        }
        Double threshold = report.sensitivity().thresholdDb();
        Double median = report.sensitivity().medianDb();
        if (median != null) top = Math.max(top, median);
        double xMax = Math.ceil((top + 8) / 10) * 10; // room for the value and marker labels
        double step = xMax > 100 ? 20 : 10;
        int height = TOP + rows.size() * ROW + BOTTOM;
        Scale x = new Scale(xMax);
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"chart\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(height)
                .append("\" role=\"img\" aria-label=\"per-layer SQNR in dB\">\n");
        legend(s, measured);
        for (double t = 0; t <= xMax + 1e-9; t += step) {
            String px = x.fmt(t);
            s.append("<line class=\"grid\" x1=\"").append(px).append("\" y1=\"").append(TOP - 4);
            s.append("\" x2=\"")
                    .append(px)
                    .append("\" y2=\"")
                    .append(height - BOTTOM)
                    .append("\"/>");
            s.append("<text class=\"tick\" x=\"").append(px).append("\" y=\"").append(height - BOTTOM + 14);
            s.append("\" text-anchor=\"middle\">").append((int) t).append("</text>\n");
        }
        s.append("<text class=\"tick\" x=\"")
                .append(LABEL + (WIDTH - LABEL - RIGHT) / 2)
                .append("\" y=\"")
                .append(height - 4)
                .append("\" text-anchor=\"middle\">SQNR (dB), higher is better</text>\n");
        for (int i = 0; i < rows.size(); i++) row(s, rows.get(i), TOP + i * ROW, x, measured);
        if (median != null) marker(s, x, median, "median " + Html.fixed(median, 1) + " dB", "median", "start", height);
        if (threshold != null && threshold > 0) {
            marker(s, x, threshold, "skip below " + Html.fixed(threshold, 1) + " dB", "threshold", "end", height);
        }
        s.append("</svg>");
        return s.toString();
    }

    private static void legend(StringBuilder s, boolean measured) {
        if (measured) {
            s.append("<rect class=\"bar alone\" x=\"").append(LABEL).append("\" y=\"8\" width=\"12\" height=\"10\"/>");
            s.append("<text class=\"tick\" x=\"").append(LABEL + 16).append("\" y=\"17\">layer quantized alone</text>");
            s.append("<rect class=\"bar model\" x=\"")
                    .append(LABEL + 170)
                    .append("\" y=\"8\" width=\"12\" height=\"10\"/>");
            s.append("<text class=\"tick\" x=\"")
                    .append(LABEL + 186)
                    .append("\" y=\"17\">in the fake-quant model</text>");
        } else {
            s.append("<rect class=\"bar alone\" x=\"").append(LABEL).append("\" y=\"8\" width=\"12\" height=\"10\"/>");
            s.append("<text class=\"tick\" x=\"")
                    .append(LABEL + 16)
                    .append("\" y=\"17\">weight SQNR (no data: activation metrics not measured)</text>");
        }
        s.append("<rect class=\"bar alone skip\" x=\"")
                .append(WIDTH - RIGHT - 150)
                .append("\" y=\"8\" width=\"12\" height=\"10\"/>");
        s.append("<text class=\"tick\" x=\"").append(WIDTH - RIGHT - 134).append("\" y=\"17\">suggested skip</text>\n");
    }

    private static void row(StringBuilder s, Row r, int y, Scale x, boolean measured) {
        String label = r.name().length() > MAX_LABEL ? r.name().substring(0, MAX_LABEL - 1) + "…" : r.name();
        s.append("<g><title>")
                .append(Html.escape(r.name()))
                .append(": ")
                .append(measured ? "alone " : "weight ")
                .append(Html.fixed(r.primary(), 2))
                .append(" dB");
        if (measured)
            s.append(", in model ").append(Html.fixed(r.secondary(), 2)).append(" dB");
        s.append("</title>");
        s.append("<text class=\"label\" x=\"")
                .append(LABEL - 8)
                .append("\" y=\"")
                .append(y + 15)
                .append("\" text-anchor=\"end\">")
                .append(Html.escape(label))
                .append("</text>");
        String skip = r.skip() ? " skip" : "";
        if (r.primary() == null) {
            s.append("<text class=\"na\" x=\"")
                    .append(LABEL + 4)
                    .append("\" y=\"")
                    .append(y + 15)
                    .append("\">")
                    .append(measured ? "not measured" : "no weight")
                    .append("</text>");
        } else {
            bar(s, "bar alone" + skip, x, r.primary(), measured ? y + 3 : y + 5, measured ? 8 : 13);
        }
        if (measured && r.secondary() != null) bar(s, "bar model" + skip, x, r.secondary(), y + 12, 8);
        if (r.primary() != null) {
            s.append("<text class=\"value\" x=\"")
                    .append(fmt(x.px(Math.max(0, r.primary())) + 4))
                    .append("\" y=\"")
                    .append(y + (measured ? 11 : 15))
                    .append("\">")
                    .append(Html.fixed(r.primary(), 1))
                    .append("</text>");
        }
        s.append("</g>\n");
    }

    private static void bar(StringBuilder s, String cls, Scale x, double db, int y, int h) {
        double w = x.px(Math.max(0, db)) - LABEL;
        s.append("<rect class=\"")
                .append(cls)
                .append("\" x=\"")
                .append(LABEL)
                .append("\" y=\"")
                .append(y)
                .append("\" width=\"")
                .append(fmt(w))
                .append("\" height=\"")
                .append(h)
                .append("\"/>");
    }

    private static void marker(
            StringBuilder s, Scale x, double db, String text, String cls, String anchor, int height) {
        String px = x.fmt(Math.max(0, db));
        s.append("<line class=\"marker ")
                .append(cls)
                .append("\" x1=\"")
                .append(px)
                .append("\" y1=\"")
                .append(TOP - 8)
                .append("\" x2=\"")
                .append(px)
                .append("\" y2=\"")
                .append(height - BOTTOM)
                .append("\"/>");
        s.append("<text class=\"marker-label ")
                .append(cls)
                .append("\" x=\"")
                .append(px)
                .append("\" y=\"")
                .append(TOP - 10)
                .append("\" text-anchor=\"")
                .append(anchor)
                .append("\">")
                .append(Html.escape(text))
                .append("</text>\n");
    }

    /** dB → x pixel. */
    private record Scale(double max) {
        double px(double db) {
            return LABEL + Math.min(db, max) / max * (WIDTH - LABEL - RIGHT);
        }

        String fmt(double db) {
            return SqnrChart.fmt(px(db));
        }
    }

    private static String fmt(double px) {
        return String.format(Locale.ROOT, "%.1f", px);
    }
}
