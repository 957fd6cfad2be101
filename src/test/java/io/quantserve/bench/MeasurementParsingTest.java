package io.quantserve.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MeasurementParsingTest {

    @Test
    void stageTimesKeepTheFirstStartOfEachStageAndIgnoreBatchLines() {
        assertThat(StageTimes.parse(List.of(
                        "[   0.0s] prepare",
                        "[   0.3s] fuse",
                        "[   1.5s] calibrate",
                        "[   2.0s]   batch 1/8",
                        "[  12.4s] export",
                        "[  13.0s] verify",
                        "[  14.1s] report",
                        "[  15.0s] verify",
                        "error [io]: something")))
                .containsExactly(
                        java.util.Map.entry("prepare", 0.0),
                        java.util.Map.entry("fuse", 0.3),
                        java.util.Map.entry("calibrate", 1.5),
                        java.util.Map.entry("export", 12.4),
                        java.util.Map.entry("verify", 13.0),
                        java.util.Map.entry("report", 14.1));
    }

    @Test
    void calibrationAndExportRunsFromPrepareToVerify() {
        QuantizeJob.Run run = new QuantizeJob.Run(
                List.of("java"),
                0,
                20,
                300,
                StageTimes.parse(List.of("[   0.5s] prepare", "[  10.5s] verify")),
                "out",
                "log");
        assertThat(run.calibrationAndExportSeconds()).isEqualTo(10.0);
        QuantizeJob.Run failed = new QuantizeJob.Run(
                List.of("java"), 1, 2, 100, StageTimes.parse(List.of("[   0.5s] prepare")), "o", "l");
        assertThat(failed.calibrationAndExportSeconds()).isNull();
    }

    @Test
    void procStatusFieldsAreReadInKib() {
        String status = "Name:\tjava\nVmPeak:\t 5000000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\n";
        assertThat(ProcStatus.field(status, "VmHWM")).isEqualTo(OptionalLong.of(123456));
        assertThat(ProcStatus.field(status, "VmSwap")).isEmpty();
    }

    @Test
    void peakRssOfThisProcessIsReadFromProc() {
        assertThat(ProcStatus.peakRssKib(ProcessHandle.current().pid()).orElseThrow())
                .isGreaterThan(10_000);
        assertThat(ProcStatus.peakRssKib(Long.MAX_VALUE)).isEmpty();
    }
}
