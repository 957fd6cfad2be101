package io.quantserve.service.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.service.support.Api.Response;
import io.quantserve.service.support.JobTest;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * A real MNIST job seen from outside: its claim, calibration batches, duration and uploads in the Prometheus scrape
 * (as increases between a scrape before and one after the job, since other tests share the counters), the job counts
 * of the database in the gauges, and its worker's log lines carrying the job id in the human-readable format.
 */
@ExtendWith(OutputCaptureExtension.class)
class JobMetricsAndLogsTest extends JobTest {
    private static final int BATCHES = 4;

    @Test
    void prometheusNeedsAnAdminKeyOnTheApplicationPort() {
        assertThat(api().anonymous().get("/actuator/prometheus").status()).isEqualTo(401);
        assertThat(newTenant("scrape").client().get("/actuator/prometheus").status())
                .isEqualTo(403);
        Response scrape = admin().get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.contentType()).startsWith("text/plain");
    }

    @Test
    void aJobShowsUpInEveryQuantserveSeries() throws Exception {
        TenantKey t = newTenant("metrics");
        PrometheusScrape before = scrape();
        UUID model = uploadMnist(t);
        UUID data = uploadCalibration(t, 64);
        UUID id = createJob(t, json(model, data, "\"batch_size\":16,\"batch_num\":" + BATCHES));
        JsonNode done = awaitTerminal(t, id, Duration.ofMinutes(2));
        assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        PrometheusScrape after = scrape();

        assertThat(increase(before, after, "quantserve_claim_seconds_count", "outcome", "claimed"))
                .isGreaterThanOrEqualTo(1);
        assertThat(after.value("quantserve_claim_seconds_count", "outcome", "empty"))
                .as("idle polls are timed too")
                .isPresent();
        assertThat(increase(before, after, "quantserve_batch_seconds_count", "stage", "calibrate"))
                .as("one sample per calibration batch")
                .isGreaterThanOrEqualTo(BATCHES);
        assertThat(increase(before, after, "quantserve_batch_seconds_sum", "stage", "calibrate"))
                .isPositive();
        assertThat(increase(before, after, "quantserve_job_duration_seconds_count", "outcome", "succeeded"))
                .isGreaterThanOrEqualTo(1);
        assertThat(increase(before, after, "quantserve_job_duration_seconds_sum", "outcome", "succeeded"))
                .isPositive();

        long artefactBytes = 0;
        for (JsonNode a : t.client().get("/v1/jobs/" + id + "/artifacts").json().get("items")) {
            artefactBytes += a.get("size_bytes").asLong();
        }
        assertThat(artefactBytes).isPositive();
        assertThat(increase(before, after, "quantserve_storage_bytes_written_total", "kind", "jobs"))
                .as("every artefact uploaded counts")
                .isGreaterThanOrEqualTo(artefactBytes);
        assertThat(increase(before, after, "quantserve_storage_bytes_written_total", "kind", "models"))
                .isGreaterThanOrEqualTo(Files.size(mnist()));

        // the counts come from the database, cached for quantserve.metrics.job-counts-max-age (10 s by default)
        long succeeded = jdbc.queryForObject("select count(*) from jobs where state = 'SUCCEEDED'", Long.class);
        PrometheusScrape counted =
                awaitScrape(s -> s.valueOrZero("quantserve_jobs", "state", "SUCCEEDED") >= succeeded);
        for (String state : List.of("QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED")) {
            assertThat(counted.value("quantserve_jobs", "state", state))
                    .as(state)
                    .isPresent();
        }
        assertThat(counted.value("quantserve_queue_depth"))
                .hasValueSatisfying(d -> assertThat(d)
                        .isGreaterThanOrEqualTo(0)
                        .isLessThanOrEqualTo(counted.valueOrZero("quantserve_jobs", "state", "QUEUED")));
        long succeededAfter = jdbc.queryForObject("select count(*) from jobs where state = 'SUCCEEDED'", Long.class);
        assertThat(counted.valueOrZero("quantserve_jobs", "state", "SUCCEEDED"))
                .as("the database's count at some moment of the test")
                .isBetween((double) succeeded, (double) succeededAfter);
    }

    @Test
    void theWorkersLogLinesCarryTheJobIdAndAttempt(CapturedOutput output) {
        TenantKey t = newTenant("logs");
        UUID id = createJob(t, json(uploadMnist(t), uploadCalibration(t, 16), "\"batch_size\":16,\"batch_num\":1"));
        JsonNode done = awaitTerminal(t, id, Duration.ofMinutes(2));
        assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");

        String tag = "[job=" + id + " attempt=1] ";
        List<String> lines = output.getOut().lines().toList();
        assertThat(lines)
                .as("the worker's closing line, tagged from the MDC")
                .anyMatch(l -> l.contains(tag) && l.endsWith("job " + id + " attempt 1: SUCCEEDED"));
        assertThat(lines.stream().filter(l -> l.contains("[job=")))
                .as("a job tag always names a job and an attempt")
                .allMatch(l -> l.matches(".*\\[job=[0-9a-f-]{36} attempt=\\d+] .*"));
    }

    private PrometheusScrape scrape() {
        Response r = admin().get("/actuator/prometheus");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return PrometheusScrape.parse(r.body());
    }

    private PrometheusScrape awaitScrape(java.util.function.Predicate<PrometheusScrape> condition) {
        Instant deadline = Instant.now().plusSeconds(30);
        PrometheusScrape s = scrape();
        while (!condition.test(s) && Instant.now().isBefore(deadline)) {
            sleep(250);
            s = scrape();
        }
        return s;
    }

    private static double increase(PrometheusScrape before, PrometheusScrape after, String name, String... labels) {
        return after.valueOrZero(name, labels) - before.valueOrZero(name, labels);
    }
}
