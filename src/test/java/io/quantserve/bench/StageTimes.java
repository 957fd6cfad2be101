package io.quantserve.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When each stage of a {@code quantize} run started, read from the progress lines the command prints to standard
 * error ({@code [   1.2s] calibrate}: seconds since the command started, 0.1 s resolution). Batch lines are ignored;
 * a stage printed twice keeps its first time.
 */
final class StageTimes {
    private static final Pattern STAGE = Pattern.compile("^\\[\\s*(\\d+(?:\\.\\d+)?)s] ([a-z][a-z-]*)$");

    private StageTimes() {}

    /** Stage name → start in seconds, in order of appearance. */
    static SequencedMap<String, Double> parse(List<String> stderrLines) {
        SequencedMap<String, Double> out = new LinkedHashMap<>();
        for (String line : stderrLines) {
            Matcher m = STAGE.matcher(line.strip());
            if (m.matches()) out.putIfAbsent(m.group(2), Double.parseDouble(m.group(1)));
        }
        return Collections.unmodifiableSequencedMap(out);
    }
}
