package io.quantserve.engine.report;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link QualityReport} as JSON: snake_case keys in record declaration order, two-space indentation, a final
 * newline. Numbers are rounded where the report is built ({@link ReportNumbers}), so the text is deterministic.
 */
final class ReportJson {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ReportJson() {}

    static String write(QualityReport report) {
        return MAPPER.writeValueAsString(report) + "\n";
    }

    /** The {@code sensitivity} object of a report written by {@link #write}. */
    static QualityReport.Sensitivity readSensitivity(String json) {
        JsonNode sensitivity = MAPPER.readTree(json).get("sensitivity");
        if (sensitivity == null) throw new IllegalArgumentException("the report has no 'sensitivity' object");
        return MAPPER.treeToValue(sensitivity, QualityReport.Sensitivity.class);
    }
}
