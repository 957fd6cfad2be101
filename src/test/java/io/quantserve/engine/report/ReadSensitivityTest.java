package io.quantserve.engine.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.QuantServeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadSensitivityTest {
    @TempDir
    Path tmp;

    @Test
    void theSensitivityOfAWrittenReportReadsBackEqual() {
        QualityReport report = ReportSamples.report(List.of(
                ReportSamples.layer(0, "a", 40.0, 40.0),
                ReportSamples.layer(1, "bad", 12.0, 11.0),
                ReportSamples.layer(2, "c", 39.0, 30.0)));
        Path json = tmp.resolve("report.json");
        QualityReports.write(report, json, tmp.resolve("report.html"));

        QualityReport.Sensitivity read = QualityReports.readSensitivity(json);
        assertThat(read).isEqualTo(report.sensitivity());
        assertThat(read.ranking()).extracting(QualityReport.Ranked::name).containsExactly("bad", "c", "a");
    }

    @Test
    void aFileThatIsNoReportIsRefusedNamingIt() throws Exception {
        Path json = tmp.resolve("other.json");
        Files.writeString(json, "{\"layers\": []}");
        assertThatThrownBy(() -> QualityReports.readSensitivity(json))
                .isInstanceOfSatisfying(
                        QuantServeException.class, e -> assertThat(e.code()).isEqualTo("invalid-report"))
                .hasMessageContaining("other.json");
    }
}
