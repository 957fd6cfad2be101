package io.quantserve.service.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.client.ApiClient;
import io.quantserve.client.ApiException;
import io.quantserve.client.api.AdminApi;
import io.quantserve.client.api.DatasetsApi;
import io.quantserve.client.api.JobsApi;
import io.quantserve.client.api.ModelsApi;
import io.quantserve.client.model.Artifact;
import io.quantserve.client.model.CreateApiKey;
import io.quantserve.client.model.CreateJob;
import io.quantserve.client.model.Dataset;
import io.quantserve.client.model.Job;
import io.quantserve.client.model.Model;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.service.support.ServiceTest;
import io.quantserve.testing.Evaluations;
import io.quantserve.testing.ModelDatasets;
import java.io.File;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product through the Java client that the build generates from {@code openapi.yaml}
 * ({@code io.quantserve.client}, openapi-generator, library native): issue a key, upload the MNIST CNN and 256
 * calibration digits, run a job to SUCCEEDED, download the fake-quant model and check that ONNX Runtime loads it
 * and that it keeps at least 98.5 % top-1 on the 10 000 MNIST test digits (fp32: 98.77 %).
 */
class GeneratedClientEndToEndTest extends ServiceTest {
    @TempDir
    Path tmp;

    @Test
    void theGeneratedClientRunsAJobAndTheFakeQuantModelKeepsItsAccuracy() throws Exception {
        String key = new AdminApi(client(ADMIN_KEY))
                .createApiKey(new CreateApiKey()
                        .tenant("e2e-" + UUID.randomUUID().toString().substring(0, 8)))
                .getKey();
        ApiClient client = client(key);
        File mnist = mnist().toFile();
        Model model = new ModelsApi(uploading(key, mnist)).uploadModel(mnist, "mnist_cnn.onnx");
        assertThat(model.getQuantizable()).isTrue();
        File calibration = ModelDatasets.mnistCnnCalibration(256).toFile();
        Dataset data = new DatasetsApi(uploading(key, calibration)).uploadDataset(calibration, "calib.npz");
        assertThat(data.getSampleCount()).isEqualTo(256);

        JobsApi jobs = new JobsApi(client);
        Job created = jobs.createJob(
                new CreateJob()
                        .modelId(model.getId())
                        .datasetId(data.getId())
                        .batchSize(32)
                        .batchNum(8),
                "e2e-" + model.getId());
        Job job = await(jobs, created.getId(), Duration.ofMinutes(3));
        assertThat(job.getState()).as(String.valueOf(job)).isEqualTo(Job.StateEnum.SUCCEEDED);
        assertThat(job.getQuantizedLayers()).hasSize(4);

        Artifact fakeQuant = jobs.listJobArtifacts(job.getId()).getItems().stream()
                .filter(a -> a.getName().endsWith("_fake_quant_model.onnx"))
                .findFirst()
                .orElseThrow();
        File downloaded = jobs.downloadJobArtifact(job.getId(), fakeQuant.getName(), false, null, null, null);
        Path model8 = Files.move(downloaded.toPath(), tmp.resolve(fakeQuant.getName()));
        assertThat(Files.size(model8)).isEqualTo(fakeQuant.getSizeBytes());
        try (InferenceSession s = InferenceSession.open(model8, SessionSettings.defaults())) {
            assertThat(s.outputs()).hasSize(1);
        }
        double top1 = Evaluations.top1(model8, ModelDatasets.mnistCnnTest(), 1000);
        System.out.printf("MNIST fake-quant top-1 through the generated client: %.4f (fp32 0.9877)%n", top1);
        assertThat(top1).as("fake_quant top-1 on the 10000 MNIST test digits").isGreaterThanOrEqualTo(0.985);
    }

    private ApiClient client(String key) {
        ApiClient c = new ApiClient();
        c.updateBaseUri("http://127.0.0.1:" + port);
        c.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + key));
        c.setReadTimeout(Duration.ofMinutes(1));
        return c;
    }

    /**
     * A client whose requests carry {@code file} as the body. The generator's native library writes an
     * application/octet-stream body with its JSON mapper (the file's path as a JSON string); the interceptor, which
     * runs after the generated code built the request, streams the file instead.
     */
    private ApiClient uploading(String key, File file) {
        ApiClient c = client(key);
        c.setRequestInterceptor(b -> {
            b.header("Authorization", "Bearer " + key);
            try {
                b.POST(HttpRequest.BodyPublishers.ofFile(file.toPath()));
            } catch (java.io.FileNotFoundException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return c;
    }

    private static Job await(JobsApi jobs, UUID id, Duration timeout) throws ApiException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        var terminal = EnumSet.of(Job.StateEnum.SUCCEEDED, Job.StateEnum.FAILED, Job.StateEnum.CANCELLED);
        Job job = jobs.getJob(id);
        while (!terminal.contains(job.getState()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            job = jobs.getJob(id);
        }
        return job;
    }
}
