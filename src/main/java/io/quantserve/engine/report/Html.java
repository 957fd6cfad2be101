package io.quantserve.engine.report;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Escaping and number formatting for the report page; locale-independent so the bytes never vary. */
final class Html {
    private Html() {}

    /** Text safe inside an element or a double-quoted attribute. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * JSON text safe inside a {@code <script>} element: {@code <}, {@code >} and {@code &} occur only inside JSON
     * strings, where their {@code \}{@code u} escapes mean the same characters.
     */
    static String scriptJson(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }

    /** {@code v} with {@code decimals} decimals, or {@code n/a}. */
    static String fixed(@Nullable Double v, int decimals) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** A scale or range bound: 4 significant digits, scientific notation outside [1e-3, 1e4). */
    static String number(@Nullable Double v) {
        if (v == null) return "n/a";
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e4)) return String.format(Locale.ROOT, "%.3e", v);
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** A fraction as a percentage with 2 decimals, or {@code n/a}. */
    static String percent(@Nullable Double fraction) {
        return fraction == null ? "n/a" : String.format(Locale.ROOT, "%.2f %%", fraction * 100);
    }
}
