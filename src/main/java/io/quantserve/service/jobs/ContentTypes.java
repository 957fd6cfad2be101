package io.quantserve.service.jobs;

import java.util.Locale;

/** The media type an artefact is stored and served with, by its file name. */
public final class ContentTypes {
    private ContentTypes() {}

    /**
     * {@code .json} → {@code application/json}, {@code .html} → {@code text/html;charset=utf-8}, {@code .txt} →
     * {@code text/plain;charset=utf-8}; everything else (ONNX models, external data, statistics) →
     * {@code application/octet-stream}.
     */
    public static String forName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".json")) return "application/json";
        if (n.endsWith(".html")) return "text/html;charset=utf-8";
        if (n.endsWith(".txt")) return "text/plain;charset=utf-8";
        return "application/octet-stream";
    }
}
