package io.quantserve.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SensitivityRankingTest {
    @Test
    void ranksByIsolatedSqnrAndSuggestsOnlyTheOutlier() {
        QualityReport.Sensitivity s = SensitivityRanking.rank(List.of(
                ReportSamples.layer(0, "a", 40.0, 40.0),
                ReportSamples.layer(1, "b", 38.0, 35.0),
                ReportSamples.layer(2, "c", 42.0, 30.0),
                ReportSamples.layer(3, "bad", 12.0, 11.0),
                ReportSamples.layer(4, "e", 39.0, 9.0)));

        assertThat(s.basis()).isEqualTo("isolated_output_sqnr_db");
        assertThat(s.ranking()).extracting(QualityReport.Ranked::name).containsExactly("bad", "b", "e", "a", "c");
        assertThat(s.ranking()).extracting(QualityReport.Ranked::rank).containsExactly(1, 2, 3, 4, 5);
        assertThat(s.medianDb()).isEqualTo(39.0);
        assertThat(s.thresholdDb()).as("min(median − 10, 30)").isEqualTo(29.0);
        assertThat(s.suggestedSkipLayers()).containsExactly("bad");
        assertThat(s.ranking().getFirst().amctScore()).isEqualTo(0.999975);
    }

    @Test
    void aUniformlyGoodOrUniformlyPoorModelGetsNoSuggestion() {
        assertThat(SensitivityRanking.rank(List.of(
                                ReportSamples.layer(0, "a", 40.0, 40.0), ReportSamples.layer(1, "b", 31.0, 30.0)))
                        .suggestedSkipLayers())
                .as("31 dB is 4.5 dB below the median")
                .isEmpty();
        assertThat(SensitivityRanking.rank(List.of(
                                ReportSamples.layer(0, "a", 12.0, 12.0),
                                ReportSamples.layer(1, "b", 14.0, 13.0),
                                ReportSamples.layer(2, "c", 13.0, 9.0)))
                        .suggestedSkipLayers())
                .as("all poor alike: accuracy-based rollback is the tool, not a skip list")
                .isEmpty();
    }

    @Test
    void withoutDataTheWeightSqnrIsRankedAndTiesKeepGraphOrder() {
        QualityReport.Sensitivity s = SensitivityRanking.rank(
                List.of(ReportSamples.layer(0, "a", null, null), ReportSamples.layer(1, "b", null, null)));

        assertThat(s.basis()).isEqualTo("weight_sqnr_db");
        assertThat(s.ranking()).extracting(QualityReport.Ranked::name).containsExactly("a", "b");
        assertThat(s.ranking()).allSatisfy(r -> assertThat(r.amctScore()).isNull());
        assertThat(s.suggestedSkipLayers()).isEmpty();
    }
}
