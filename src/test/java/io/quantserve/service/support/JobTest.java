package io.quantserve.service.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.service.support.Api.Response;
import io.quantserve.testing.ModelDatasets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** Base of the job tests: uploads of the MNIST CNN and its calibration data, job creation and waiting. */
public abstract class JobTest extends ServiceTest {
    /** States no job leaves. */
    public static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    /** The MNIST CNN uploaded as {@code mnist_cnn.onnx}; returns its id. */
    protected UUID uploadMnist(TenantKey t) {
        return upload(t, "/v1/models?name=mnist_cnn.onnx", mnist());
    }

    /** The first {@code samples} MNIST calibration digits as an {@code .npz}; returns the dataset id. */
    protected UUID uploadCalibration(TenantKey t, int samples) {
        return upload(t, "/v1/datasets?name=calib.npz", ModelDatasets.mnistCnnCalibration(samples));
    }

    protected UUID upload(TenantKey t, String path, Path file) {
        Response r = t.client().postFile(path, file, "application/octet-stream");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return UUID.fromString(r.json().get("id").asString());
    }

    /** Creates a job; asserts 202 and the Location header. */
    protected UUID createJob(TenantKey t, String body) {
        Response r = t.client().postJson("/v1/jobs", body);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        String id = r.json().get("id").asString();
        assertThat(r.headers().firstValue("Location")).hasValue("/v1/jobs/" + id);
        return UUID.fromString(id);
    }

    /** Polls the job until it is in a terminal state; fails after {@code timeout}. */
    protected JsonNode awaitTerminal(TenantKey t, UUID job, Duration timeout) {
        return awaitState(t, job, timeout, TERMINAL);
    }

    /** Polls the job until its state is one of {@code states}; fails after {@code timeout}. */
    protected JsonNode awaitState(TenantKey t, UUID job, Duration timeout, Set<String> states) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            Response r = t.client().get("/v1/jobs/" + job);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            last = r.json();
            if (states.contains(last.get("state").asString())) return last;
            sleep(25);
        }
        throw new AssertionError("job " + job + " did not reach " + states + " within " + timeout + ": " + last);
    }

    protected static String json(UUID model, UUID dataset, String extra) {
        return "{\"model_id\":\"" + model + "\",\"dataset_id\":\"" + dataset + "\""
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    protected static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
