package io.quantserve.service.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.calibration.data.NpzArchive;
import io.quantserve.engine.calibration.data.NpzWriter;
import io.quantserve.engine.export.LayerRecord;
import io.quantserve.engine.export.RecordFile;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.service.support.Api.Response;
import io.quantserve.service.support.JobTest;
import io.quantserve.testing.ModelDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Job options {@code outputs} and {@code auto_rollback}, run on the MNIST CNN through the service. */
class JobOptionsTest extends JobTest {
    private static final String PROBLEMS = "https://quantserve.dev/problems/";
    private static final List<String> LAYERS = List.of("/conv1/Conv", "/conv2/Conv", "/fc1/Gemm", "/fc2/Gemm");
    private static final int EVALUATION_SAMPLES = 500;

    @TempDir
    Path tmp;

    @Test
    void outputsLimitThePublishedArtefacts() {
        TenantKey t = newTenant("outputs");
        UUID model = uploadMnist(t);
        UUID data = uploadCalibration(t, 32);

        UUID id = createJob(t, json(model, data, "\"batch_size\":16,\"outputs\":[\"fake_quant\",\"report\"]"));
        JsonNode job = awaitTerminal(t, id, Duration.ofMinutes(2));

        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("options").get("outputs").toString()).isEqualTo("[\"fake_quant\",\"report\"]");
        assertThat(artefacts(t, id))
                .containsExactly("manifest.json", "mnist_cnn_fake_quant_model.onnx", "report.html", "report.json");

        Response unknown = t.client().postJson("/v1/jobs", json(model, data, "\"outputs\":[\"everything\"]"));
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(422);
        assertThat(unknown.problemType()).isEqualTo(PROBLEMS + "invalid-config");
        assertThat(unknown.json().get("detail").asString())
                .contains("'everything'")
                .contains("fake_quant");
    }

    @Test
    void beyondAmctOptionsReachTheRecord() throws Exception {
        TenantKey t = newTenant("beyond");
        UUID model = uploadMnist(t);
        UUID data = uploadCalibration(t, 32);

        UUID id = createJob(
                t,
                json(
                        model,
                        data,
                        "\"batch_size\":16,\"beyond_amct\":{\"matmul_channel_wise\":\"portable\","
                                + "\"dmq_balancer_param\":0.5}"));
        JsonNode job = awaitTerminal(t, id, Duration.ofMinutes(2));
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("options")
                        .get("beyond_amct")
                        .get("matmul_channel_wise")
                        .asString())
                .isEqualTo("portable");

        Path record = tmp.resolve("record.txt");
        Files.write(
                record,
                t.client().getBytes("/v1/jobs/" + id + "/artifacts/record.txt").body());
        Map<String, LayerRecord> layers = RecordFile.read(record);
        // per-column Gemm weights: one scale_w per output column instead of AMCT's one per tensor
        assertThat(layers.get("/fc1/Gemm").scaleW()).hasSizeGreaterThan(1);
        // DMQ balancing on every supported layer: one balance factor per input channel
        assertThat(layers.get("/conv2/Conv").tensorBalanceFactor()).isNotEmpty();
        assertThat(layers.get("/fc1/Gemm").tensorBalanceFactor()).isNotEmpty();

        Response bad =
                t.client().postJson("/v1/jobs", json(model, data, "\"beyond_amct\":{\"dmq_balancer_param\":1.5}"));
        assertThat(bad.status()).as(bad.body()).isEqualTo(422);
        assertThat(bad.problemType()).isEqualTo(PROBLEMS + "invalid-config");
        assertThat(bad.json().get("detail").asString())
                .contains("dmq_balancer_param")
                .contains("1.5");
    }

    @Test
    void autoRollbackKeepsTheFewestLayersInFloatThatMeetTheTarget() {
        TenantKey t = newTenant("rollback");
        UUID model = uploadMnist(t);
        UUID data = uploadCalibration(t, 64);
        UUID evaluation = upload(t, "/v1/datasets?name=eval.npz", evaluationSet());

        JsonNode easy = runAuto(t, model, data, evaluation, "{\"metric\":\"top1\",\"max_drop\":1.0}");
        JsonNode found = easy.get("auto_rollback");
        assertThat(found.get("metric").asString()).isEqualTo("top1");
        assertThat(found.get("unit").asString()).isEqualTo("%");
        assertThat(found.get("candidates").asInt()).isEqualTo(1);
        assertThat(found.get("layers_in_float").size())
                .as("all-INT8 meets a 1-point drop")
                .isZero();
        // MNIST CNN: ~98.8 % fp32 on the test digits; tolerance 1 percentage point as asked
        assertThat(found.get("float_value").asDouble()).isGreaterThan(95.0);
        assertThat(found.get("final_value").asDouble())
                .isEqualTo(found.get("all_int8_value").asDouble())
                .isGreaterThanOrEqualTo(found.get("float_value").asDouble() - 1.0);
        assertThat(names(easy.get("quantized_layers"))).containsExactlyElementsOf(LAYERS);
        assertThat(artefacts(t, UUID.fromString(easy.get("id").asString())))
                .contains("rollback_history.json", "sensitivity.json", "mnist_cnn_fake_quant_model.onnx");

        // SQNR of the logits: a floor 2 dB above what all-INT8 reached needs layers kept in float
        double floor = runAuto(t, model, data, evaluation, "{\"metric\":\"sqnr\",\"min_value\":1.0}")
                .get("auto_rollback")
                .get("all_int8_value")
                .asDouble();
        JsonNode strict =
                runAuto(t, model, data, evaluation, "{\"metric\":\"sqnr\",\"min_value\":" + (floor + 2.0) + "}");
        JsonNode rolled = strict.get("auto_rollback");
        List<String> inFloat = names(rolled.get("layers_in_float"));
        assertThat(inFloat).isNotEmpty().isSubsetOf(LAYERS);
        assertThat(rolled.get("final_value").asDouble()).isGreaterThanOrEqualTo(floor + 2.0);
        assertThat(rolled.get("candidates").asInt()).isGreaterThan(1);
        List<String> quantized = names(strict.get("quantized_layers"));
        assertThat(quantized).doesNotContainAnyElementsOf(inFloat);
        List<String> all = new ArrayList<>(quantized);
        all.addAll(inFloat);
        assertThat(all).containsExactlyInAnyOrderElementsOf(LAYERS);
        assertThat(strict.get("float_layers").toString()).contains(inFloat.getFirst(), "auto_rollback");
    }

    @Test
    void anUnreachableTargetFailsTheJobAndPublishesNothing() {
        TenantKey t = newTenant("unreachable");
        UUID model = uploadMnist(t);
        UUID data = uploadCalibration(t, 32);
        UUID evaluation = upload(t, "/v1/datasets?name=eval.npz", evaluationSet());

        UUID id = createJob(
                t,
                "{\"model_id\":\"" + model + "\",\"dataset_id\":\"" + data + "\",\"evaluation_dataset_id\":\""
                        + evaluation + "\",\"batch_size\":16,"
                        + "\"auto_rollback\":{\"metric\":\"sqnr\",\"min_value\":200,\"max_float_layers\":2}}");
        JsonNode job = awaitTerminal(t, id, Duration.ofMinutes(3));

        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("FAILED");
        assertThat(job.get("error").get("code").asString()).isEqualTo("accuracy-target-unreachable");
        assertThat(job.get("error").get("message").asString()).contains("200");
        assertThat(artefacts(t, id)).isEmpty();
    }

    @Test
    void autoRollbackNeedsAnEvaluationDatasetAndOneTarget() {
        TenantKey t = newTenant("rollback-bad");
        UUID model = uploadMnist(t);
        UUID data = uploadCalibration(t, 16);
        for (String rollback : List.of(
                "{\"metric\":\"top1\",\"max_drop\":1}",
                "{\"metric\":\"top1\"}",
                "{\"metric\":\"top5\",\"max_drop\":1}")) {
            Response r = t.client().postJson("/v1/jobs", json(model, data, "\"auto_rollback\":" + rollback));
            assertThat(r.status()).as(r.body()).isEqualTo(422);
            assertThat(r.problemType()).isEqualTo(PROBLEMS + "invalid-config");
        }
        assertThat(jdbc.queryForObject("select count(*) from jobs where tenant_id = ?", Integer.class, t.id()))
                .isZero();
    }

    private JsonNode runAuto(TenantKey t, UUID model, UUID data, UUID evaluation, String rollback) {
        UUID id = createJob(
                t,
                "{\"model_id\":\"" + model + "\",\"dataset_id\":\"" + data + "\",\"evaluation_dataset_id\":\""
                        + evaluation + "\",\"batch_size\":16,\"auto_rollback\":" + rollback + "}");
        JsonNode job = awaitTerminal(t, id, Duration.ofMinutes(3));
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("options").get("auto_rollback").get("metric").asString())
                .isEqualTo(rollback.replaceAll(".*\"metric\":\"([^\"]+)\".*", "$1"));
        return job;
    }

    /** The first {@value #EVALUATION_SAMPLES} MNIST test digits with their labels. */
    private Path evaluationSet() {
        Path file = tmp.resolve("eval-" + EVALUATION_SAMPLES + ".npz");
        try (NpzArchive test = NpzArchive.open(ModelDatasets.mnistCnnTest())) {
            Tensor input = test.read("input");
            long[] shape = input.shape().clone();
            int per = (int) (Tensor.elementCount(shape) / shape[0]);
            shape[0] = EVALUATION_SAMPLES;
            SequencedMap<String, Tensor> arrays = new LinkedHashMap<>();
            arrays.put("input", Tensor.ofFloats(shape, Arrays.copyOf(input.toFloats(), EVALUATION_SAMPLES * per)));
            arrays.put(
                    ModelDatasets.LABELS,
                    Tensor.ofLongs(
                            new long[] {EVALUATION_SAMPLES},
                            Arrays.copyOf(test.read(ModelDatasets.LABELS).toLongs(), EVALUATION_SAMPLES)));
            NpzWriter.write(file, arrays, true);
        }
        return file;
    }

    private List<String> artefacts(TenantKey t, UUID job) {
        Response list = t.client().get("/v1/jobs/" + job + "/artifacts");
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        return names(list.json().get("items"));
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.isString() ? n.asString() : n.get("name").asString()));
        return names;
    }
}
