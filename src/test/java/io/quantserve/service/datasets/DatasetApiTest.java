package io.quantserve.service.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.calibration.data.NpyWriter;
import io.quantserve.engine.calibration.data.NpzWriter;
import io.quantserve.engine.onnx.TensorProtos;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.service.storage.ObjectStore;
import io.quantserve.service.support.Api.Response;
import io.quantserve.service.support.ServiceTest;
import io.quantserve.testing.TinyModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** {@code /v1/datasets} over HTTP against the real database and S3 server. */
class DatasetApiTest extends ServiceTest {
    private static final String PROBLEMS = "https://quantserve.dev/problems/";

    @Autowired
    ObjectStore store;

    @Autowired
    DatasetCatalog catalog;

    @TempDir
    Path tmp;

    @Test
    void npzUploadIsDescribedAndStored() throws Exception {
        TenantKey t = newTenant("npz");
        Path npz = npz();

        Response r = t.client().postFile("/v1/datasets?name=calib.npz", npz, "application/octet-stream");

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode json = r.json();
        String id = json.get("id").asString();
        assertThat(r.headers().firstValue("Location")).hasValue("/v1/datasets/" + id);
        assertThat(json.get("format").asString()).isEqualTo("npz");
        assertThat(json.get("name").asString()).isEqualTo("calib.npz");
        assertThat(json.get("sample_count").asLong()).isEqualTo(6);
        assertThat(json.get("size_bytes").asLong()).isEqualTo(Files.size(npz));
        JsonNode arrays = json.get("arrays");
        assertThat(arrays.size()).isEqualTo(2);
        assertThat(arrays.get(0).get("name").asString()).isEqualTo("input");
        assertThat(arrays.get(0).get("dtype").asString()).isEqualTo("float32");
        assertThat(arrays.get(0).get("shape").toString()).isEqualTo("[6,1,4,4]");
        assertThat(arrays.get(1).get("name").asString()).isEqualTo("label");
        assertThat(arrays.get(1).get("dtype").asString()).isEqualTo("int64");
        assertThat(store.stat(t.id() + "/datasets/" + id + "/data.npz")).isPresent();

        assertThat(t.client().get("/v1/datasets/" + id).json()).isEqualTo(json);
    }

    @Test
    void npyMultipartUpload() throws Exception {
        TenantKey t = newTenant("npy");
        Path npy = tmp.resolve("x.npy");
        NpyWriter.write(npy, TinyModel.random(3, -1f, 1f, 5, 3));

        Response r = t.client().postMultipart("/v1/datasets", npy, "x.npy");

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("format").asString()).isEqualTo("npy");
        assertThat(r.json().get("name").asString()).isEqualTo("x.npy");
        assertThat(r.json().get("sample_count").asLong()).isEqualTo(5);
        assertThat(r.json().get("arrays").get(0).get("shape").toString()).isEqualTo("[5,3]");
    }

    @Test
    void zipOfATestDataFolderIsDescribedAndFetchedBackUnpacked() throws Exception {
        TenantKey t = newTenant("pb");
        Path zip = testDataZip();

        Response r = t.client().postFile("/v1/datasets?name=sets.zip", zip, "application/octet-stream");

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode json = r.json();
        assertThat(json.get("format").asString()).isEqualTo("onnx_test_data");
        assertThat(json.get("sample_count").asLong()).isEqualTo(2);
        assertThat(json.get("arrays").size()).isEqualTo(2);
        assertThat(json.get("arrays").get(0).get("name").asString()).isEqualTo("test_data_set_0/input_0");
        assertThat(json.get("arrays").get(0).get("shape").toString()).isEqualTo("[1,3]");
        UUID id = UUID.fromString(json.get("id").asString());
        assertThat(store.stat(t.id() + "/datasets/" + id + "/data.zip")).isPresent();

        Path work = Files.createDirectory(tmp.resolve("fetch"));
        Path root = catalog.fetch(t.id(), id, work);
        assertThat(root.resolve("test_data_set_1/input_0.pb")).isRegularFile();
    }

    @Test
    void unreadableDataIsRefusedWith422AndNothingIsStored() throws Exception {
        TenantKey t = newTenant("baddata");
        byte[] npz = Files.readAllBytes(npz());
        List<byte[]> bodies = List.of(
                "hello, I am text".getBytes(),
                java.util.Arrays.copyOf(npz, npz.length / 2),
                new byte[] {'P', 'K', 3, 4, 0, 0},
                new byte[0]);
        for (byte[] body : bodies) {
            Response r = t.client().postBytes("/v1/datasets", body, "application/octet-stream");
            assertThat(r.status()).as(r.body()).isEqualTo(422);
            assertThat(r.problemType()).isEqualTo(PROBLEMS + "invalid-data");
            assertThat(r.json().get("code").asString()).isEqualTo("invalid-data");
            assertThat(r.json().get("detail").asString())
                    .doesNotContain("scratch")
                    .doesNotContain("/tmp");
        }
        Path zipWithoutSets = tmp.resolve("nosets.zip");
        zip(zipWithoutSets, "notes/readme.pb", new byte[] {1, 2, 3});
        Response noSets = t.client().postFile("/v1/datasets", zipWithoutSets, "application/octet-stream");
        assertThat(noSets.status()).as(noSets.body()).isEqualTo(422);
        assertThat(noSets.problemType()).isEqualTo(PROBLEMS + "invalid-data");

        Path escape = tmp.resolve("escape.zip");
        zip(escape, "../../evil/input_0.pb", new byte[] {1});
        Response escaping = t.client().postFile("/v1/datasets", escape, "application/octet-stream");
        assertThat(escaping.status()).as(escaping.body()).isEqualTo(422);
        assertThat(escaping.problemType()).isEqualTo(PROBLEMS + "invalid-data");

        assertThat(rows(t.id())).isZero();
        assertThat(store.list(t.id() + "/")).isEmpty();
    }

    @Test
    void listGetDeleteAndTenancy() throws Exception {
        TenantKey t = newTenant("dslist");
        TenantKey other = newTenant("dsother");
        Path npz = npz();
        String first = t.client()
                .postFile("/v1/datasets", npz, "application/octet-stream")
                .json()
                .get("id")
                .asString();
        String second = t.client()
                .postFile("/v1/datasets", npz, "application/octet-stream")
                .json()
                .get("id")
                .asString();

        Response page1 = t.client().get("/v1/datasets?limit=1");
        assertThat(page1.json().get("items").get(0).get("id").asString()).isEqualTo(second);
        String cursor = page1.json().get("next_cursor").asString();
        Response page2 = t.client().get("/v1/datasets?limit=1&cursor=" + cursor);
        assertThat(page2.json().get("items").get(0).get("id").asString()).isEqualTo(first);
        assertThat(page2.json().get("next_cursor").isNull()).isTrue();

        for (Response r : List.of(
                other.client().get("/v1/datasets/" + first),
                other.client().delete("/v1/datasets/" + first),
                t.client().get("/v1/datasets/" + UUID.randomUUID()))) {
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.problemType()).isEqualTo(PROBLEMS + "not-found");
        }
        assertThat(other.client().get("/v1/datasets").json().get("items").size())
                .isZero();

        assertThat(t.client().delete("/v1/datasets/" + first).status()).isEqualTo(204);
        assertThat(t.client().get("/v1/datasets/" + first).status()).isEqualTo(404);
        assertThat(store.list(t.id() + "/datasets/" + first + "/")).isEmpty();
        assertThat(rows(t.id())).isEqualTo(1);
    }

    private int rows(UUID tenant) {
        return jdbc.queryForObject("select count(*) from datasets where tenant_id = ?", Integer.class, tenant);
    }

    private Path npz() {
        Path file = tmp.resolve("calib.npz");
        if (Files.exists(file)) return file;
        var arrays = new LinkedHashMap<String, Tensor>();
        arrays.put("input", TinyModel.random(1, 0f, 1f, 6, 1, 4, 4));
        arrays.put("label", Tensor.ofLongs(new long[] {6}, new long[] {0, 1, 2, 3, 4, 5}));
        NpzWriter.write(file, arrays, true);
        return file;
    }

    private Path testDataZip() throws IOException {
        Path zip = tmp.resolve("sets.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (int set = 0; set < 2; set++) {
                Tensor x = TinyModel.random(10 + set, -1f, 1f, 1, 3);
                out.putNextEntry(new ZipEntry("mymodel/test_data_set_" + set + "/input_0.pb"));
                TensorProtos.fromTensor("x", x).writeTo(out);
                out.closeEntry();
            }
        }
        return zip;
    }

    private static void zip(Path zip, String entry, byte[] content) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry(entry));
            out.write(content);
            out.closeEntry();
        }
    }
}
