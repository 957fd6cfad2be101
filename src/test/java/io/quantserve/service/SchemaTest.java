package io.quantserve.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.calibration.data.NpyWriter;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.service.support.Api.Response;
import io.quantserve.service.support.ServiceTest;
import io.quantserve.testing.SampleModels;
import io.quantserve.testing.TinyModel;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;

/** The Flyway schema as the jobs work will use it: columns, constraints, and what a referenced model means. */
class SchemaTest extends ServiceTest {
    @TempDir
    Path tmp;

    @Test
    void migrationsAreAppliedAndTheJobTableHasTheWorkerColumns() {
        assertThat(jdbc.queryForList(
                        "select version from flyway_schema_history where success order by installed_rank",
                        String.class))
                .containsExactly("1", "2");
        List<String> columns = jdbc.queryForList(
                "select column_name from information_schema.columns where table_name = 'jobs' order by ordinal_position",
                String.class);
        assertThat(columns)
                .containsExactly(
                        "id",
                        "tenant_id",
                        "state",
                        "stage",
                        "progress",
                        "model_id",
                        "dataset_id",
                        "options",
                        "idempotency_key",
                        "attempts",
                        "lease_owner",
                        "lease_expires_at",
                        "error",
                        "created_at",
                        "updated_at",
                        "evaluation_dataset_id",
                        "from_job_id",
                        "cancel_requested",
                        "not_before",
                        "batch_done",
                        "batch_total",
                        "timings",
                        "result",
                        "started_at",
                        "finished_at");
    }

    @Test
    void idempotencyKeysAreUniquePerTenantAndStatesAreChecked() {
        TenantKey a = newTenant("jobs-a");
        TenantKey b = newTenant("jobs-b");
        UUID model = upload(a, "/v1/models", model());
        UUID dataset = upload(a, "/v1/datasets", data());

        insertJob(a.id(), model, dataset, "CANCELLED", "k1");
        insertJob(a.id(), model, dataset, "CANCELLED", null);
        insertJob(a.id(), model, dataset, "CANCELLED", null);
        insertJob(b.id(), model, dataset, "CANCELLED", "k1");
        assertThatThrownBy(() -> insertJob(a.id(), model, dataset, "CANCELLED", "k1"))
                .isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> insertJob(a.id(), model, dataset, "BOGUS", "k2"))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void aModelOrDatasetUsedByAJobCannotBeDeleted() {
        TenantKey t = newTenant("inuse");
        UUID model = upload(t, "/v1/models", model());
        UUID dataset = upload(t, "/v1/datasets", data());
        insertJob(t.id(), model, dataset, "CANCELLED", null);

        for (String path : List.of("/v1/models/" + model, "/v1/datasets/" + dataset)) {
            Response r = t.client().delete(path);
            assertThat(r.status()).as(r.body()).isEqualTo(409);
            assertThat(r.problemType()).isEqualTo("https://quantserve.dev/problems/conflict");
            assertThat(t.client().get(path).status()).isEqualTo(200);
        }
    }

    private void insertJob(UUID tenant, UUID model, UUID dataset, String state, String idempotencyKey) {
        jdbc.update(
                "insert into jobs (id, tenant_id, state, model_id, dataset_id, idempotency_key, created_at, updated_at)"
                        + " values (?, ?, ?, ?, ?, ?, now(), now())",
                UUID.randomUUID(),
                tenant,
                state,
                model,
                dataset,
                idempotencyKey);
    }

    private UUID upload(TenantKey t, String path, Path file) {
        Response r = t.client().postFile(path, file, "application/octet-stream");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return UUID.fromString(r.json().get("id").asString());
    }

    private Path model() {
        Path file = tmp.resolve("tiny.onnx");
        ModelIo.save(SampleModels.allLayerKinds(), file);
        return file;
    }

    private Path data() {
        Path file = tmp.resolve("x.npy");
        NpyWriter.write(file, TinyModel.random(5, -1f, 1f, 4, 2, 6, 6));
        return file;
    }
}
