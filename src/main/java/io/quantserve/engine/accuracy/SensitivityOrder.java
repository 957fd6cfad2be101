package io.quantserve.engine.accuracy;

import io.quantserve.engine.report.QualityReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The quantized layers from most to least sensitive, taken from the all-INT8 run's quality report (its isolated
 * per-layer replay of the retained calibration batches), ordered by {@link RankBy}. Layers the replay could not
 * measure (e.g. inside an {@code If} branch no batch took) are not ranked and never kept in float by the search.
 *
 * @param basis what orders the layers
 * @param reportBasis the quality report's ranking basis ({@code isolated_output_sqnr_db} when it had data)
 * @param layers ranked layers, most sensitive first
 * @param notRanked quantized layers without a measurement, in graph order
 */
record SensitivityOrder(RankBy basis, String reportBasis, List<Layer> layers, List<String> notRanked) {
    SensitivityOrder {
        layers = List.copyOf(layers);
        notRanked = List.copyOf(notRanked);
    }

    /**
     * One ranked layer.
     *
     * @param rank 1 for the most sensitive
     * @param name the layer
     * @param isolatedSqnrDb the report's isolated output SQNR
     * @param amctScore AMCT's {@code 0.5 + 0.5·cos} of the isolated output; null when the report has none
     */
    record Layer(
            int rank,
            String name,
            double isolatedSqnrDb,
            @Nullable Double amctScore) {}

    static SensitivityOrder of(QualityReport.Sensitivity report, RankBy basis, List<String> quantizedLayers) {
        Set<String> quantized = Set.copyOf(quantizedLayers);
        List<QualityReport.Ranked> ranked = new ArrayList<>(report.ranking().stream()
                .filter(r -> quantized.contains(r.name()))
                .toList());
        if (basis == RankBy.AMCT_SCORE) {
            // Stable sort: equal scores keep the report's (SQNR) order.
            ranked.sort(Comparator.comparing(
                    QualityReport.Ranked::amctScore, Comparator.nullsLast(Comparator.naturalOrder())));
        }
        List<Layer> layers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (QualityReport.Ranked r : ranked) {
            layers.add(new Layer(layers.size() + 1, r.name(), r.sqnrDb(), r.amctScore()));
            seen.add(r.name());
        }
        List<String> notRanked =
                quantizedLayers.stream().filter(n -> !seen.contains(n)).toList();
        return new SensitivityOrder(basis, report.basis(), layers, notRanked);
    }

    /** The {@code k} most sensitive layers. */
    List<String> mostSensitive(int k) {
        return layers.subList(0, k).stream().map(Layer::name).toList();
    }
}
