package io.quantserve.engine.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Ranks layers by their own quantization error and suggests skip layers.
 *
 * <p>With data the basis is the isolated output SQNR (the layer quantized alone on the float model's input, so a
 * layer is not blamed for the error of the layers before it); without data it is the weight SQNR. The rule: a
 * layer is suggested for {@code skip_layers} when its value lies more than {@value #MARGIN_DB} dB below the median
 * of the ranked layers (ten times the typical noise power) <em>and</em> below {@value #ABSOLUTE_DB} dB (noise above
 * 0.1 % of the signal power), so a uniformly good model gets no suggestion and one outlier among good layers does.
 */
final class SensitivityRanking {
    static final double MARGIN_DB = 10;
    static final double ABSOLUTE_DB = 30;

    static final String ISOLATED_BASIS = "isolated_output_sqnr_db";
    static final String WEIGHT_BASIS = "weight_sqnr_db";

    private SensitivityRanking() {}

    private record Candidate(
            int index, String name, double db, @Nullable Double cosine) {}

    static QualityReport.Sensitivity rank(List<QualityReport.Layer> layers) {
        boolean measured = layers.stream().anyMatch(l -> l.output().isolatedSqnrDb() != null);
        String basis = measured ? ISOLATED_BASIS : WEIGHT_BASIS;
        List<Candidate> candidates = new ArrayList<>();
        for (QualityReport.Layer l : layers) {
            Double db = measured
                    ? l.output().isolatedSqnrDb()
                    : l.weight() == null ? null : l.weight().sqnrDb();
            if (db != null) {
                candidates.add(new Candidate(
                        l.index(), l.name(), db, measured ? l.output().isolatedCosine() : null));
            }
        }
        String rule = "a layer is suggested for skip_layers when its " + basis + " is more than " + (int) MARGIN_DB
                + " dB below the median of the ranked layers and below " + (int) ABSOLUTE_DB + " dB";
        if (candidates.isEmpty()) {
            return new QualityReport.Sensitivity(basis, rule, null, null, List.of(), List.of());
        }
        candidates.sort(Comparator.comparingDouble(Candidate::db).thenComparingInt(Candidate::index));
        double median = median(candidates);
        double threshold = Math.min(median - MARGIN_DB, ABSOLUTE_DB);
        List<QualityReport.Ranked> ranking = new ArrayList<>();
        List<String> skip = new ArrayList<>();
        for (Candidate c : candidates) {
            boolean suggested = c.db() < threshold;
            if (suggested) skip.add(c.name());
            Double score = c.cosine() == null ? null : ReportNumbers.cosine(0.5 + 0.5 * c.cosine());
            ranking.add(new QualityReport.Ranked(ranking.size() + 1, c.name(), c.db(), score, suggested));
        }
        return new QualityReport.Sensitivity(
                basis, rule, ReportNumbers.rounded(median), ReportNumbers.rounded(threshold), ranking, skip);
    }

    private static double median(List<Candidate> sorted) {
        int n = sorted.size();
        return n % 2 == 1
                ? sorted.get(n / 2).db()
                : (sorted.get(n / 2 - 1).db() + sorted.get(n / 2).db()) / 2;
    }
}
