package io.quantserve.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;

class TargetCheckTest {

    private static CaseResult run(String name, double floorSeconds, double wallSeconds, double rssMib) {
        QuantizeJob.Run job = new QuantizeJob.Run(
                List.of("java"),
                0,
                wallSeconds,
                rssMib,
                StageTimes.parse(List.of("[   0.0s] prepare", "[   2.0s] verify", "[   3.0s] report")),
                "out",
                "log");
        return new CaseResult(
                name,
                "m.onnx",
                64,
                16,
                4,
                new InferenceFloor.Floor(floorSeconds, floorSeconds, 4),
                job,
                null,
                1,
                1,
                null);
    }

    @Test
    void ratiosAreJobOverFloorAndRssScalingPairsOneWithEight() {
        CaseResult rec = run("ppocr_rec", 2.0, 5.0, 900);
        assertThat(rec.calibrationAndExportRatio()).isEqualTo(1.0);
        assertThat(rec.wholeJobRatio()).isEqualTo(2.5);

        List<TargetCheck> checks = TargetCheck.of(
                List.of(rec), List.of(run("scaling_x_1x", 1, 2, 1000), run("scaling_x_8x", 8, 16, 1200)));
        assertThat(checks)
                .extracting(TargetCheck::target, TargetCheck::met)
                .contains(
                        tuple("ppocr_rec: calibration + export ≤ 1.5× fp32 floor", true),
                        tuple("ppocr_rec: whole run ≤ 3.0× fp32 floor", true),
                        tuple("ppocr_rec, 64 lines: peak RSS < 1 GB", true),
                        tuple("x: peak RSS at 8× ≤ 1.1× the 1× figure", false));
        assertThat(checks.getLast().measured()).isEqualTo("1000 MiB → 1200 MiB (1.20×)");
    }

    @Test
    void aSkippedCaseLeavesItsTargetsUndecided() {
        CaseResult skipped = new CaseResult(
                "yolox_nano", null, 0, 1, 0, null, null, null, 1, -1, BenchmarkRunner.SKIPPED + "fixture missing");
        assertThat(skipped.skipped()).isTrue();
        assertThat(TargetCheck.of(List.of(skipped), List.of()))
                .allSatisfy(t -> assertThat(t.met()).isNull());
        String markdown = ResultsReport.markdown(new BenchmarkResults(
                "2026-01-01T00:00:00Z",
                new MachineInfo("cpu", "avx2", 2, 2, 1024, "1.29.0", "25", "Linux"),
                1,
                1,
                "bin/quantserve",
                List.of(),
                List.of(),
                List.of(skipped),
                List.of(),
                TargetCheck.of(List.of(skipped), List.of())));
        assertThat(markdown)
                .contains("| yolox_nano | skipped: fixture missing |")
                .contains("| n/a |")
                .contains("- Job: `bin/quantserve quantize --model M");
    }
}
