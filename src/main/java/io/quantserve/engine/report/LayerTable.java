package io.quantserve.engine.report;

import java.util.HashSet;
import java.util.Set;

/** The per-layer table of the report page, one row per layer in graph order; a row click selects its histogram. */
final class LayerTable {
    private static final String[] HEADERS = {
        "#",
        "layer",
        "op",
        "scope",
        "scale_d",
        "offset_d",
        "clip range",
        "scale_w (n: min – max)",
        "clip ratio",
        "SQNR in model (dB)",
        "cosine in model",
        "SQNR alone (dB)",
        "weight SQNR (dB)",
        "worst channel (dB)",
        "bias INT32 used",
        "flags"
    };

    private LayerTable() {}

    static String html(QualityReport report) {
        Set<String> skip = new HashSet<>(report.sensitivity().suggestedSkipLayers());
        StringBuilder b = new StringBuilder("<table><thead><tr>");
        for (String h : HEADERS) {
            boolean text = h.equals("layer") || h.equals("op") || h.equals("scope") || h.equals("flags");
            b.append(text ? "<th class=\"text\">" : "<th>")
                    .append(Html.escape(h))
                    .append("</th>");
        }
        b.append("</tr></thead><tbody>\n");
        for (QualityReport.Layer l : report.layers()) {
            QualityReport.Activation a = l.activation();
            QualityReport.Weight w = l.weight();
            b.append("<tr data-layer=\"").append(l.index()).append('"');
            if (skip.contains(l.name())) b.append(" class=\"skip\"");
            b.append('>');
            cell(b, String.valueOf(l.index()));
            text(b, "name", Html.escape(l.name()));
            text(b, "text", Html.escape(l.opType()));
            text(b, "text", l.scope().isEmpty() ? "main" : Html.escape(l.scope()));
            cell(b, Html.number((double) a.scaleD()));
            cell(b, String.valueOf(a.offsetD()));
            cell(b, "[" + Html.number(a.clipMin()) + ", " + Html.number(a.clipMax()) + "]");
            cell(
                    b,
                    w == null
                            ? na()
                            : w.scaleW().count() + ": "
                                    + Html.number((double) w.scaleW().min()) + " – "
                                    + Html.number((double) w.scaleW().max()));
            cell(b, orNa(Html.percent(l.input().clipRatio())));
            cell(b, orNa(Html.fixed(l.output().sqnrDb(), 2)));
            cell(b, orNa(Html.fixed(l.output().cosine(), 6)));
            cell(b, orNa(Html.fixed(l.output().isolatedSqnrDb(), 2)));
            cell(b, w == null ? na() : orNa(Html.fixed(w.sqnrDb(), 2)));
            cell(
                    b,
                    w == null || w.worstChannel() < 0
                            ? na()
                            : Html.fixed(w.worstChannelSqnrDb(), 2) + " (ch " + w.worstChannel() + ")");
            cell(b, l.bias() == null ? na() : Html.percent(l.bias().int32RangeUsed()));
            StringBuilder flags = new StringBuilder();
            l.flags()
                    .forEach(f -> flags.append("<span class=\"flag\">")
                            .append(Html.escape(f.code()))
                            .append("</span>"));
            text(b, "text flags", flags.toString());
            b.append("</tr>\n");
        }
        return b.append("</tbody></table>").toString();
    }

    private static void cell(StringBuilder b, String html) {
        b.append("<td>").append(html).append("</td>");
    }

    private static void text(StringBuilder b, String cls, String html) {
        b.append("<td class=\"").append(cls).append("\">").append(html).append("</td>");
    }

    private static String orNa(String s) {
        return s.equals("n/a") ? na() : s;
    }

    private static String na() {
        return "<span class=\"na\">n/a</span>";
    }
}
