package io.quantserve.engine.accuracy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two files the search adds to the artefacts, {@value #SENSITIVITY_FILE} and {@value #HISTORY_FILE}: snake_case
 * keys in declaration order, two-space indentation, a final newline. A metric value that is not finite (the float
 * model's SQNR) is written as {@code null}.
 */
final class SearchFiles {
    static final String SENSITIVITY_FILE = "sensitivity.json";
    static final String HISTORY_FILE = "rollback_history.json";

    /** Incremented when a key changes meaning or disappears. */
    static final int SCHEMA_VERSION = 1;

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private SearchFiles() {}

    /**
     * {@value #SENSITIVITY_FILE}.
     *
     * @param rankedBy {@code sqnr} or {@code amct-score}
     * @param source where the values come from
     * @param layers every ranked layer, most sensitive first
     * @param notRanked quantized layers the replay could not measure (never kept in float by the search)
     */
    record Sensitivity(
            int schemaVersion, String rankedBy, String source, List<RankedLayer> layers, List<String> notRanked) {}

    /**
     * @param rank 1 for the most sensitive
     * @param isolatedSqnrDb SQNR of the layer's output with it alone quantized, on the float model's input
     * @param amctScore AMCT's {@code 0.5 + 0.5·cosine} of that output
     * @param keptInFloat whether the published models keep the layer in float
     */
    record RankedLayer(
            int rank,
            String name,
            double isolatedSqnrDb,
            @Nullable Double amctScore,
            boolean keptInFloat) {}

    /**
     * {@value #HISTORY_FILE}.
     *
     * @param metric the metric's name
     * @param unit its unit
     * @param target the target in words
     * @param floatValue the float model's value
     * @param threshold the smallest passing value
     * @param maxFloatLayers the largest k the search could try
     * @param candidates every candidate evaluated, in evaluation order
     * @param chosenK the published candidate's k
     */
    record History(
            int schemaVersion,
            String metric,
            String unit,
            String target,
            @Nullable Double floatValue,
            double threshold,
            String search,
            int maxFloatLayers,
            List<HistoryEntry> candidates,
            int chosenK) {}

    /**
     * @param step 1 for the first candidate evaluated
     * @param k layers kept in float
     * @param value the candidate's metric
     * @param drop {@code floatValue − value}; null when the float value is not finite
     */
    record HistoryEntry(
            int step,
            int k,
            List<String> layersInFloat,
            @Nullable Double value,
            @Nullable Double drop,
            boolean passed) {}

    static Sensitivity sensitivity(SensitivityOrder order, List<String> keptInFloat) {
        Set<String> kept = Set.copyOf(keptInFloat);
        return new Sensitivity(
                SCHEMA_VERSION,
                order.basis().cliName(),
                "quality report of the all-INT8 run (" + order.reportBasis()
                        + "; each layer quantized alone on the retained calibration batches)",
                order.layers().stream()
                        .map(l -> new RankedLayer(
                                l.rank(), l.name(), l.isolatedSqnrDb(), l.amctScore(), kept.contains(l.name())))
                        .toList(),
                order.notRanked());
    }

    static History history(
            AccuracyMetric metric,
            AccuracyTarget target,
            double floatValue,
            int maxFloatLayers,
            List<Candidate> candidates,
            Candidate chosen) {
        List<HistoryEntry> entries = new ArrayList<>();
        for (Candidate c : candidates) {
            entries.add(new HistoryEntry(
                    entries.size() + 1,
                    c.floatCount(),
                    c.layersInFloat(),
                    finite(c.value()),
                    finite(floatValue - c.value()),
                    c.passed()));
        }
        return new History(
                SCHEMA_VERSION,
                metric.name(),
                metric.unit(),
                target.describe(metric.unit()),
                finite(floatValue),
                target.threshold(floatValue),
                "binary search over the k most sensitive layers kept in float (AMCT)",
                maxFloatLayers,
                entries,
                chosen.floatCount());
    }

    static void write(Object value, Path file) {
        try {
            Files.writeString(file, MAPPER.writeValueAsString(value) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }

    static @Nullable Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
