package io.quantserve.service.worker;

import io.quantserve.service.jobs.LayerSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the per-layer summary a job shows from the engine's {@code report.json} (schema version 1). */
final class ReportSummaries {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ReportSummaries() {}

    /** One summary per quantized layer, in graph order; empty when the run wrote no report. */
    static List<LayerSummary> read(Path reportJson) {
        if (!Files.isRegularFile(reportJson)) return List.of();
        JsonNode report = JSON.readTree(reportJson.toFile());
        List<LayerSummary> out = new ArrayList<>();
        for (JsonNode layer : report.path("layers")) {
            List<String> flags = new ArrayList<>();
            layer.path("flags").forEach(f -> flags.add(f.asString()));
            out.add(new LayerSummary(
                    layer.path("name").asString(),
                    layer.path("op_type").asString(),
                    layer.path("activation").path("scale_d").asDouble(),
                    layer.path("activation").path("offset_d").asInt(),
                    number(layer.path("weight").path("sqnr_db")),
                    number(layer.path("output").path("sqnr_db")),
                    number(layer.path("output").path("cosine")),
                    flags));
        }
        return out;
    }

    private static @Nullable Double number(JsonNode node) {
        return node.isNumber() ? node.asDouble() : null;
    }
}
