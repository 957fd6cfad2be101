package io.quantserve.service.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.service.storage.ObjectStore;
import io.quantserve.service.support.Api.Response;
import io.quantserve.service.support.ServiceTest;
import io.quantserve.testing.SampleModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** {@code /v1/models} over HTTP against the real database and S3 server. */
class ModelApiTest extends ServiceTest {
    private static final String PROBLEMS = "https://quantserve.dev/problems/";

    @Autowired
    ObjectStore store;

    @TempDir
    Path tmp;

    @Test
    void rawUploadOfMnistIsInspectedAndStored() throws Exception {
        TenantKey t = newTenant("models");
        Path model = mnist();
        Response r = t.client().postFile("/v1/models?name=mnist_cnn.onnx", model, "application/octet-stream");

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode json = r.json();
        String id = json.get("id").asString();
        assertThat(r.headers().firstValue("Location")).hasValue("/v1/models/" + id);
        assertThat(json.get("name").asString()).isEqualTo("mnist_cnn.onnx");
        assertThat(json.get("size_bytes").asLong()).isEqualTo(Files.size(model));
        assertThat(json.get("sha256").asString()).isEqualTo(sha256(model));
        assertThat(json.get("opset").asLong()).isEqualTo(11);
        assertThat(json.get("ir_version").asLong()).isEqualTo(6);
        assertThat(json.get("inputs").get(0).get("name").asString()).isEqualTo("input");
        assertThat(json.get("inputs").get(0).get("shape").toString()).isEqualTo("[\"batch_size\",\"1\",\"28\",\"28\"]");
        assertThat(json.get("outputs").get(0).get("dtype").asString()).isEqualTo("float32");
        assertThat(names(json.get("quantizable_layers")))
                .containsExactly("/conv1/Conv", "/conv2/Conv", "/fc1/Gemm", "/fc2/Gemm");
        assertThat(json.get("quantizable_layers").get(2).get("weight_shape").toString())
                .isEqualTo("[128,3136]");
        assertThat(json.get("quantizable").asBoolean()).isTrue();

        String key = t.id() + "/models/" + id + "/model.onnx";
        assertThat(store.stat(key))
                .get()
                .satisfies(info -> assertThat(info.size()).isEqualTo(Files.size(model)));
        try (var content = store.get(key, null)) {
            assertThat(sha256(content.stream().readAllBytes())).isEqualTo(sha256(model));
        }

        Response got = t.client().get("/v1/models/" + id);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json()).isEqualTo(json);
    }

    @Test
    void multipartUploadTakesTheFileNameOfThePart() throws Exception {
        TenantKey t = newTenant("multipart");
        Response r = t.client().postMultipart("/v1/models", mnist(), "digits.onnx");

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("name").asString()).isEqualTo("digits.onnx");
        assertThat(r.json().get("sha256").asString()).isEqualTo(sha256(mnist()));
        assertThat(r.json().get("quantizable_layers").size()).isEqualTo(4);
    }

    @Test
    void listPagesNewestFirstWithACursor() throws Exception {
        TenantKey t = newTenant("paging");
        Path tiny = tinyModel();
        List<String> uploaded = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Response r = t.client().postFile("/v1/models?name=m" + i, tiny, "application/octet-stream");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            uploaded.addFirst(r.json().get("id").asString());
        }

        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        do {
            Response page = t.client().get("/v1/models?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            JsonNode items = page.json().get("items");
            pageSizes.add(items.size());
            items.forEach(item -> seen.add(item.get("id").asString()));
            JsonNode next = page.json().get("next_cursor");
            cursor = next.isNull() ? null : next.asString();
        } while (cursor != null);

        assertThat(pageSizes).containsExactly(2, 2, 1);
        assertThat(seen).containsExactlyElementsOf(uploaded);

        Response all = t.client().get("/v1/models?limit=100");
        assertThat(all.json().get("items").size()).isEqualTo(5);
        assertThat(all.json().get("next_cursor").isNull()).isTrue();
    }

    @Test
    void deleteRemovesRowAndObject() throws Exception {
        TenantKey t = newTenant("delete");
        String id = t.client()
                .postFile("/v1/models", tinyModel(), "application/octet-stream")
                .json()
                .get("id")
                .asString();
        assertThat(store.list(t.id() + "/models/" + id + "/")).hasSize(1);

        Response deleted = t.client().delete("/v1/models/" + id);

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(store.list(t.id() + "/models/" + id + "/")).isEmpty();
        assertThat(rows(t.id())).isZero();
        Response again = t.client().get("/v1/models/" + id);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.problemType()).isEqualTo(PROBLEMS + "not-found");
        assertThat(t.client().delete("/v1/models/" + id).status()).isEqualTo(404);
    }

    @Test
    void corruptOnnxIsRefusedWith422AndNothingIsStored() throws Exception {
        TenantKey t = newTenant("corrupt");
        byte[] mnist = Files.readAllBytes(mnist());
        byte[] truncated = java.util.Arrays.copyOf(mnist, mnist.length / 2);
        byte[] text = "this is not an ONNX model at all".getBytes();

        for (byte[] body : List.of(truncated, text, new byte[0])) {
            Response r = t.client().postBytes("/v1/models?name=broken.onnx", body, "application/octet-stream");
            assertThat(r.status()).as(r.body()).isEqualTo(422);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.problemType()).isEqualTo(PROBLEMS + "invalid-model");
            assertThat(r.json().get("code").asString()).isEqualTo("invalid-model");
            assertThat(r.json().get("status").asInt()).isEqualTo(422);
            assertThat(r.json().get("detail").asString())
                    .contains("'broken.onnx'")
                    .doesNotContain("Exception")
                    .doesNotContain("scratch");
        }
        assertThat(rows(t.id())).isZero();
        assertThat(store.list(t.id() + "/")).isEmpty();
    }

    @Test
    void oversizeUploadIs413AndNothingIsStored() throws Exception {
        TenantKey t = newTenant("oversize");
        Path big = tmp.resolve("big.onnx");
        Files.write(big, new byte[(int) UPLOAD_LIMIT + 1]);

        Response raw = t.client().postFile("/v1/models", big, "application/octet-stream");
        Response multipart = t.client().postMultipart("/v1/models", big, "big.onnx");

        for (Response r : List.of(raw, multipart)) {
            assertThat(r.status()).as(r.body()).isEqualTo(413);
            assertThat(r.problemType()).isEqualTo(PROBLEMS + "payload-too-large");
        }
        assertThat(raw.json().get("detail").asString()).contains(Long.toString(UPLOAD_LIMIT));
        assertThat(rows(t.id())).isZero();
        assertThat(store.list(t.id() + "/")).isEmpty();
    }

    @Test
    void unknownAndMalformedIdsAre404() {
        TenantKey t = newTenant("unknown");
        for (String path : List.of(
                "/v1/models/" + UUID.randomUUID(),
                "/v1/models/not-a-uuid",
                "/v1/models/" + UUID.randomUUID() + "/config")) {
            Response r = t.client().get(path);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.problemType()).isEqualTo(PROBLEMS + "not-found");
        }
    }

    @Test
    void anotherTenantsModelIs404AndNotListed() throws Exception {
        TenantKey owner = newTenant("owner");
        TenantKey other = newTenant("other");
        String id = owner.client()
                .postFile("/v1/models", tinyModel(), "application/octet-stream")
                .json()
                .get("id")
                .asString();

        for (Response r : List.of(
                other.client().get("/v1/models/" + id),
                other.client().get("/v1/models/" + id + "/config"),
                other.client().delete("/v1/models/" + id))) {
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.problemType()).isEqualTo(PROBLEMS + "not-found");
        }
        assertThat(other.client().get("/v1/models").json().get("items").size()).isZero();
        assertThat(owner.client().get("/v1/models/" + id).status()).isEqualTo(200);
    }

    @Test
    void configIsAmctsCreateQuantConfig() throws Exception {
        TenantKey t = newTenant("config");
        String id = t.client()
                .postFile("/v1/models", mnist(), "application/octet-stream")
                .json()
                .get("id")
                .asString();

        Response r = t.client().get("/v1/models/" + id + "/config?skip_layers=/fc2/Gemm&batch_num=4");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode config = r.json();
        assertThat(config.get("batch_num").asInt()).isEqualTo(4);
        assertThat(config.get("/conv1/Conv").get("quant_enable").asBoolean()).isTrue();
        assertThat(config.get("/fc2/Gemm").get("quant_enable").asBoolean()).isFalse();

        Response unknownLayer = t.client().get("/v1/models/" + id + "/config?skip_layers=nope");
        assertThat(unknownLayer.status()).isEqualTo(422);
        assertThat(unknownLayer.problemType()).isEqualTo(PROBLEMS + "invalid-config");
        assertThat(unknownLayer.json().get("detail").asString()).contains("'nope'");

        Response badBatch = t.client().get("/v1/models/" + id + "/config?batch_num=0");
        assertThat(badBatch.status()).isEqualTo(400);
        assertThat(badBatch.problemType()).isEqualTo(PROBLEMS + "invalid-request");
    }

    @Test
    void badRequestsAreProblems() throws Exception {
        TenantKey t = newTenant("bad");
        Response json = t.client().postJson("/v1/models", "{}");
        assertThat(json.status()).isEqualTo(415);
        assertThat(json.problemType()).isEqualTo(PROBLEMS + "unsupported-media-type");

        Response limit = t.client().get("/v1/models?limit=0");
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.problemType()).isEqualTo(PROBLEMS + "invalid-request");

        Response cursor = t.client().get("/v1/models?cursor=garbage!");
        assertThat(cursor.status()).isEqualTo(400);
        assertThat(cursor.problemType()).isEqualTo(PROBLEMS + "invalid-request");

        Response wrongPart = t.client().postMultipart("/v1/models", tinyModel(), "m.onnx", "model");
        assertThat(wrongPart.status()).isEqualTo(400);
        assertThat(wrongPart.problemType()).isEqualTo(PROBLEMS + "invalid-request");
        assertThat(wrongPart.json().get("detail").asString()).contains("'file'");

        Response nowhere = t.client().get("/v1/nothing-here");
        assertThat(nowhere.status()).isEqualTo(404);
        assertThat(nowhere.problemType()).isEqualTo(PROBLEMS + "not-found");

        Response error = t.client().get("/error");
        assertThat(error.status()).isEqualTo(404);
        assertThat(error.problemType()).isEqualTo(PROBLEMS + "not-found");

        Response method = t.client().delete("/v1/models");
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.problemType()).isEqualTo(PROBLEMS + "method-not-allowed");
    }

    private int rows(UUID tenant) {
        return jdbc.queryForObject("select count(*) from models where tenant_id = ?", Integer.class, tenant);
    }

    private Path tinyModel() {
        Path file = tmp.resolve("tiny.onnx");
        if (!Files.exists(file)) ModelIo.save(SampleModels.allLayerKinds(), file);
        return file;
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.get("name").asString()));
        return names;
    }

    private static String sha256(Path file) throws Exception {
        return sha256(Files.readAllBytes(file));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
