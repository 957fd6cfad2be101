package io.quantserve.testing;

import java.util.List;

/**
 * Text-recognition accuracy over a set of lines. Lines are compared after stripping leading and trailing whitespace:
 * the labels are stripped lines, and the recogniser may read a crop's blank margin as a space.
 *
 * @param lines lines scored
 * @param exactLines lines recognised exactly
 * @param labelChars characters (code points) of all expected lines
 * @param editDistance summed Levenshtein distance (code points) between recognised and expected lines
 */
public record OcrAccuracy(int lines, int exactLines, long labelChars, long editDistance) {

    /** Scores {@code predicted} against {@code expected}, line by line. */
    public static OcrAccuracy of(List<String> predicted, List<String> expected) {
        if (predicted.size() != expected.size() || expected.isEmpty()) {
            throw new IllegalArgumentException(
                    predicted.size() + " recognised and " + expected.size() + " expected lines; need equal, non-zero");
        }
        int exact = 0;
        long chars = 0;
        long distance = 0;
        for (int i = 0; i < expected.size(); i++) {
            String p = predicted.get(i).strip();
            String e = expected.get(i).strip();
            if (p.equals(e)) {
                exact++;
            }
            chars += e.codePointCount(0, e.length());
            distance += levenshtein(p.codePoints().toArray(), e.codePoints().toArray());
        }
        return new OcrAccuracy(expected.size(), exact, chars, distance);
    }

    /** Fraction (0..1) of lines recognised exactly. */
    public double exactLineRate() {
        return (double) exactLines / lines;
    }

    /** {@code 1 - editDistance / labelChars}, the character accuracy; below 0 when far more is inserted than exists. */
    public double characterAccuracy() {
        return labelChars == 0 ? (editDistance == 0 ? 1 : 0) : 1 - (double) editDistance / labelChars;
    }

    static int levenshtein(int[] a, int[] b) {
        int[] previous = new int[b.length + 1];
        int[] current = new int[b.length + 1];
        for (int j = 0; j <= b.length; j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length; i++) {
            current[0] = i;
            for (int j = 1; j <= b.length; j++) {
                int substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length];
    }
}
