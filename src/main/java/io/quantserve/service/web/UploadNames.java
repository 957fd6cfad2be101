package io.quantserve.service.web;

import org.jspecify.annotations.Nullable;

/** Display names of uploads: the last path segment of what the client sent, printable, at most 255 characters. */
public final class UploadNames {
    private static final int MAX = 255;

    private UploadNames() {}

    /** A clean name from {@code given} (a file name or {@code ?name=}), or {@code fallback} when none is left. */
    public static String clean(@Nullable String given, String fallback) {
        if (given == null) return fallback;
        String name = given.substring(Math.max(given.lastIndexOf('/'), given.lastIndexOf('\\')) + 1);
        name = name.codePoints()
                .filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString()
                .strip();
        if (name.length() > MAX) name = name.substring(0, MAX);
        return name.isEmpty() ? fallback : name;
    }

    /**
     * A name safe as a single file name on any file system, from a display name: characters other than letters,
     * digits, {@code .}, {@code _} and {@code -} become {@code _}, at most 100 characters, never {@code .} or
     * {@code ..}.
     */
    public static String fileSafe(String displayName) {
        String safe = displayName.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > 100) safe = safe.substring(safe.length() - 100);
        return safe.isEmpty() || safe.equals(".") || safe.equals("..") ? "upload" : safe;
    }
}
