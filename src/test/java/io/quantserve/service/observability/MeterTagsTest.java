package io.quantserve.service.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Tag values stay few whatever the keys and stage names: Prometheus keeps one series per value. */
class MeterTagsTest {

    @Test
    void storageKindIsTheKnownSecondSegmentOfTheKey() {
        assertThat(MeteredObjectStore.kind("t1/models/42/model.onnx")).isEqualTo("models");
        assertThat(MeteredObjectStore.kind("t1/datasets/7/data.npz")).isEqualTo("datasets");
        assertThat(MeteredObjectStore.kind("t1/jobs/9/attempts/1/report.html")).isEqualTo("jobs");
        assertThat(MeteredObjectStore.kind("t1/elsewhere/x")).isEqualTo("other");
        assertThat(MeteredObjectStore.kind("health/probe")).isEqualTo("other");
        assertThat(MeteredObjectStore.kind("models")).isEqualTo("other");
    }

    @Test
    void batchStageIsTheFirstWordOfTheEngineStage() {
        assertThat(JobMetrics.stageTag("calibrate")).isEqualTo("calibrate");
        assertThat(JobMetrics.stageTag("evaluate fp32")).isEqualTo("evaluate");
        assertThat(JobMetrics.stageTag("rollback: 3 layer(s) in float")).isEqualTo("rollback");
        assertThat(JobMetrics.stageTag("")).isEqualTo("other");
    }
}
