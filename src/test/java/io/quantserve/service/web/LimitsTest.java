package io.quantserve.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.calibration.data.NpzWriter;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorShapeProto;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.service.storage.ObjectStore;
import io.quantserve.service.support.Api.Response;
import io.quantserve.service.support.JobTest;
import io.quantserve.service.worker.WorkerPool;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The {@code quantserve.limits.*} limits, set low in {@link io.quantserve.service.support.ServiceTest}: each refusal
 * is a problem with its status and type, and leaves no row and no object behind.
 */
class LimitsTest extends JobTest {
    private static final String PROBLEMS = "https://quantserve.dev/problems/";

    @Autowired
    ObjectStore store;

    @Autowired
    WorkerPool pool;

    @TempDir
    Path tmp;

    @Test
    void aDatasetArrayWithTooManyDimensionsIs422() {
        TenantKey t = newTenant("rank");
        long[] shape = new long[MAX_TENSOR_RANK + 1];
        java.util.Arrays.fill(shape, 1);
        shape[0] = 2;

        Response r = uploadDataset(t, npz("deep", Tensor.ofFloats(shape, new float[2])));

        assertRefused(t, r, 422, "tensor-rank-exceeded", "has " + (MAX_TENSOR_RANK + 1) + " dimensions");
    }

    @Test
    void aDatasetArrayWithTooManyElementsIs413() {
        TenantKey t = newTenant("elements");
        long[] shape = {1025, 1, 28, 28};

        Response r = uploadDataset(t, npz("big", Tensor.ofFloats(shape, new float[1025 * 28 * 28])));

        assertRefused(t, r, 413, "tensor-too-large", "has " + 1025 * 28 * 28 + " elements");
    }

    @Test
    void aDatasetWithTooManySamplesIs413() {
        TenantKey t = newTenant("samples");
        int samples = (int) MAX_SAMPLES + 1;

        Response r = uploadDataset(t, npz("many", Tensor.ofFloats(new long[] {samples, 1}, new float[samples])));

        assertRefused(t, r, 413, "too-many-samples", "holds " + samples + " samples");
        Response fits = uploadDataset(
                t, npz("fits", Tensor.ofFloats(new long[] {MAX_SAMPLES, 1}, new float[(int) MAX_SAMPLES])));
        assertThat(fits.status()).as(fits.body()).isEqualTo(201);
    }

    @Test
    void aModelInputWithTooManyDimensionsIs422() throws Exception {
        TenantKey t = newTenant("input-rank");
        ModelProto mnist;
        try (InputStream in = Files.newInputStream(mnist())) {
            mnist = ModelIo.parse(in, "mnist");
        }
        ModelProto.Builder deep = mnist.toBuilder();
        TensorShapeProto.Builder shape = deep.getGraphBuilder()
                .getInputBuilder(0)
                .getTypeBuilder()
                .getTensorTypeBuilder()
                .getShapeBuilder();
        while (shape.getDimCount() <= MAX_TENSOR_RANK)
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(1));
        Path file = tmp.resolve("deep.onnx");
        try (OutputStream out = Files.newOutputStream(file)) {
            deep.build().writeTo(out);
        }

        Response r = t.client().postFile("/v1/models?name=deep.onnx", file, "application/octet-stream");

        assertRefused(t, r, 422, "tensor-rank-exceeded", "model input 'input' has " + (MAX_TENSOR_RANK + 1));
    }

    @Test
    void aJobBeyondTheTenantsQueuedAndRunningJobsIs429() {
        TenantKey t = newTenant("jobs");
        UUID model = uploadMnist(t);
        UUID data = uploadCalibration(t, 16);
        pool.pause();
        try {
            for (int i = 0; i < MAX_ACTIVE_JOBS; i++) createJob(t, json(model, data, "\"batch_size\":" + (i + 1)));

            Response r = t.client().postJson("/v1/jobs", json(model, data, "\"batch_size\":99"));

            assertThat(r.status()).as(r.body()).isEqualTo(429);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.problemType()).isEqualTo(PROBLEMS + "too-many-jobs");
            assertThat(r.json().get("detail").asString())
                    .contains("has " + MAX_ACTIVE_JOBS + " queued or running jobs")
                    .contains("max-concurrent-jobs-per-tenant");
            assertThat(jobs(t)).isEqualTo(MAX_ACTIVE_JOBS);

            UUID first = UUID.fromString(t.client()
                    .get("/v1/jobs?limit=1")
                    .json()
                    .get("items")
                    .get(0)
                    .get("id")
                    .asString());
            assertThat(t.client().post("/v1/jobs/" + first + "/cancel").status())
                    .isEqualTo(200);
            createJob(t, json(model, data, "\"batch_size\":99"));
            assertThat(jobs(t)).as("a cancelled job frees its place").isEqualTo(MAX_ACTIVE_JOBS + 1);
            t.client()
                    .get("/v1/jobs?limit=100")
                    .json()
                    .get("items")
                    .forEach(j -> t.client().post("/v1/jobs/" + j.get("id").asString() + "/cancel"));
        } finally {
            pool.resume();
        }
    }

    private Response uploadDataset(TenantKey t, Path file) {
        return t.client().postFile("/v1/datasets?name=" + file.getFileName(), file, "application/octet-stream");
    }

    private Path npz(String name, Tensor array) {
        Path file = tmp.resolve(name + ".npz");
        SequencedMap<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("input", array);
        NpzWriter.write(file, arrays, true);
        return file;
    }

    private int jobs(TenantKey t) {
        return jdbc.queryForObject("select count(*) from jobs where tenant_id = ?", Integer.class, t.id());
    }

    private void assertRefused(TenantKey t, Response r, int status, String type, String detail) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.problemType()).isEqualTo(PROBLEMS + type);
        assertThat(r.json().get("code").asString()).isEqualTo(type);
        assertThat(r.json().get("detail").asString()).contains(detail);
        for (String table : new String[] {"models", "datasets"}) {
            assertThat(jdbc.queryForObject(
                            "select count(*) from " + table + " where tenant_id = ?", Integer.class, t.id()))
                    .as(table)
                    .isZero();
        }
        assertThat(store.list(t.id() + "/")).isEmpty();
    }
}
