package io.quantserve.service.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.calibration.data.NpzWriter;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.service.jobs.Claim;
import io.quantserve.service.jobs.JobQueue;
import io.quantserve.service.support.Api.Response;
import io.quantserve.testing.ModelDatasets;
import io.quantserve.testing.TinyModel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
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

    /**
     * {@code samples} random MNIST-shaped inputs as an {@code .npz} in {@code folder}: calibration data for tests about
     * workers rather than accuracy, long enough to act during calibration with one sample per batch.
     */
    protected static Path noise(Path folder, int samples) {
        Path file = folder.resolve("noise-" + samples + ".npz");
        SequencedMap<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("input", TinyModel.random(11, -1f, 1f, samples, 1, 28, 28));
        NpzWriter.write(file, arrays, false);
        return file;
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

    /**
     * Claims from {@code queue} as {@code owner} until the job {@code id} is the one claimed; older claimable jobs
     * left by other tests are cancelled on the way.
     */
    protected static Claim claim(JobQueue queue, String owner, UUID id) {
        for (int i = 0; i < 100; i++) {
            Optional<Claim> c = queue.claim(owner);
            assertThat(c).as("job %s claimable", id).isPresent();
            if (c.get().jobId().equals(id)) return c.get();
            queue.cancelled(c.get(), Map.of());
        }
        throw new AssertionError("job " + id + " never claimed");
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
