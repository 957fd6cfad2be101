package io.quantserve.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.pipeline.QuantizeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** report.html: self-contained, carries the report JSON, escapes what it shows. */
class ReportPageTest {
    private static final Pattern DATA =
            Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL);

    @TempDir
    Path tmp;

    private static String embeddedJson(String html) {
        Matcher m = DATA.matcher(html);
        assertThat(m.find()).as("the page embeds the report data").isTrue();
        return m.group(1);
    }

    private static void assertSelfContained(String html) {
        assertThat(html).doesNotContainIgnoringCase("http://").doesNotContainIgnoringCase("https://");
        assertThat(html)
                .doesNotContainIgnoringCase("<link")
                .doesNotContainIgnoringCase("<img")
                .doesNotContainIgnoringCase("<iframe")
                .doesNotContainPattern("(?i)<[a-z][^<>]*\\s(src|href|xlink:href)\\s*=")
                .doesNotContainIgnoringCase("url(")
                .doesNotContainIgnoringCase("@import")
                .doesNotContainIgnoringCase("fetch(")
                .doesNotContainIgnoringCase("XMLHttpRequest");
        assertThat(html).contains("Content-Security-Policy").contains("default-src 'none'");
    }

    @Test
    void thePageOfARunEmbedsReportJsonAndNeedsNoNetwork() throws Exception {
        QuantizeResult r = new ReportFixtures(tmp).quantize("out");
        String html = Files.readString(r.outDir().resolve("report.html"));
        String json = Files.readString(r.outDir().resolve("report.json"));

        assertSelfContained(html);
        JsonMapper mapper = JsonMapper.builder().build();
        assertThat(mapper.readTree(embeddedJson(html))).isEqualTo(mapper.readTree(json));
        assertThat(html).contains("<svg class=\"chart\"");
        assertThat(html).contains("id=\"layer-select\"").contains("id=\"hist-plot\"");
        for (String layer : List.of("conv", "deconv", "pool", "fc", "proj")) {
            assertThat(html).contains(">" + layer + "</text>").contains("<td class=\"name\">" + layer + "</td>");
        }
        assertThat(html.split("<option ", -1)).hasSize(5 + 1);
        assertThat(html).contains("<option value=\"3\" selected>fc (Gemm)</option>");
    }

    @Test
    void layerNamesAreEscapedEverywhere() throws Exception {
        String hostile = "</script><img src=x onerror=alert(1)>&\"'";
        QualityReport report = ReportSamples.report(
                List.of(ReportSamples.layer(0, hostile, 35.0, 34.0), ReportSamples.layer(1, "plain", 40.0, 33.0)));
        String json = ReportJson.write(report);
        String html = ReportPage.render(report, json);

        assertSelfContained(html);
        assertThat(html).doesNotContain(hostile).contains("&lt;/script&gt;&lt;img");
        assertThat(embeddedJson(html)).doesNotContain("<").contains("\\u003c/script\\u003e");
        JsonMapper mapper = JsonMapper.builder().build();
        assertThat(mapper.readTree(embeddedJson(html))).isEqualTo(mapper.readTree(json));
        assertThat(ReportPage.render(report, json)).as("deterministic").isEqualTo(html);
    }
}
