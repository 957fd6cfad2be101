package io.quantserve.service.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.ModelTensors;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.StringStringEntryProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.service.storage.ObjectInfo;
import io.quantserve.service.storage.ObjectStore;
import io.quantserve.service.support.Api.FilePart;
import io.quantserve.service.support.Api.Response;
import io.quantserve.service.support.JobTest;
import io.quantserve.testing.ModelDatasets;
import io.quantserve.testing.RealModels;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Models whose weights live in external-data files ({@code mnist_extdata/mnist.onnx} + {@code mnist.onnx.data}),
 * uploaded as a zip and as several multipart parts, then quantized by a job; hostile archives and locations are
 * refused with nothing stored.
 */
class ExternalDataModelTest extends JobTest {
    private static final String PROBLEMS = "https://quantserve.dev/problems/";
    private static final String DATA = "mnist.onnx.data";

    @Autowired
    ObjectStore store;

    @TempDir
    Path tmp;

    @Test
    void aZipOfModelAndDataIsStoredAndQuantized() throws Exception {
        TenantKey t = newTenant("extdata-zip");
        Path model = RealModels.mnistExternalData();
        Map<String, Path> entries = new LinkedHashMap<>();
        entries.put("mnist_extdata/mnist.onnx", model);
        entries.put("mnist_extdata/" + DATA, model.resolveSibling(DATA));
        entries.put("README.txt", writeText("notes"));
        Path zip = zip(entries);

        Response r = t.client().postFile("/v1/models?name=mnist_extdata.zip", zip, "application/zip");

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode json = r.json();
        assertThat(json.get("name").asString()).isEqualTo("mnist.onnx");
        assertExternalDataModel(t, json);
        assertThat(t.client().get("/v1/models/" + json.get("id").asString()).json())
                .isEqualTo(json);
        assertJobSucceeds(t, UUID.fromString(json.get("id").asString()));
    }

    @Test
    void aModelPartWithDataPartsIsStoredAndQuantized() throws Exception {
        TenantKey t = newTenant("extdata-parts");
        Path model = RealModels.mnistExternalData();

        Response r = t.client()
                .postMultipart(
                        "/v1/models",
                        List.of(
                                new FilePart("file", "mnist.onnx", model),
                                new FilePart("data", DATA, model.resolveSibling(DATA))));

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("name").asString()).isEqualTo("mnist.onnx");
        assertExternalDataModel(t, r.json());
        assertJobSucceeds(t, UUID.fromString(r.json().get("id").asString()));
    }

    @Test
    void aZipEntryLeavingTheFolderIsRefusedAndNothingIsStored() throws Exception {
        TenantKey t = newTenant("extdata-evil");
        Path model = RealModels.mnistExternalData();
        Map<String, Path> entries = new LinkedHashMap<>();
        entries.put("mnist.onnx", model);
        entries.put(DATA, model.resolveSibling(DATA));
        entries.put("../evil", writeText("outside"));

        Response r = t.client().postFile("/v1/models?name=m.zip", zip(entries), "application/zip");

        assertRefused(t, r, "'../evil'");
    }

    @Test
    void locationsLeavingTheModelsFolderAreRefusedAndNothingIsStored() throws Exception {
        TenantKey t = newTenant("extdata-escape");
        Path data = RealModels.mnistExternalData().resolveSibling(DATA);

        Path climbing = withLocation("../" + DATA);
        Map<String, Path> entries = new LinkedHashMap<>();
        entries.put("sub/mnist.onnx", climbing);
        entries.put(DATA, data);
        assertRefused(
                t, t.client().postFile("/v1/models?name=m.zip", zip(entries), "application/zip"), "leaves the model's");

        Path absolute = withLocation(data.toAbsolutePath().toString());
        assertRefused(t, t.client().postFile("/v1/models", absolute, "application/octet-stream"), "is absolute");

        assertRefused(
                t,
                t.client()
                        .postMultipart(
                                "/v1/models",
                                List.of(
                                        new FilePart("file", "mnist.onnx", climbing),
                                        new FilePart("data", "../" + DATA, data))),
                "leaves the model's folder");
    }

    @Test
    void missingOrStrayDataPartsAreRefusedAndNothingIsStored() throws Exception {
        TenantKey t = newTenant("extdata-missing");
        Path model = RealModels.mnistExternalData();

        assertRefused(t, t.client().postMultipart("/v1/models", model, "mnist.onnx"), "not found next to the model");
        assertRefused(
                t,
                t.client()
                        .postMultipart(
                                "/v1/models",
                                List.of(
                                        new FilePart("file", "mnist.onnx", model),
                                        new FilePart("data", DATA, model.resolveSibling(DATA)),
                                        new FilePart("data", "other.bin", writeText("stray")))),
                "'other.bin' is no external data location");
    }

    private void assertExternalDataModel(TenantKey t, JsonNode json) throws Exception {
        Path model = RealModels.mnistExternalData();
        Path data = model.resolveSibling(DATA);
        assertThat(json.get("size_bytes").asLong()).isEqualTo(Files.size(model) + Files.size(data));
        assertThat(json.get("sha256").asString()).isEqualTo(sha256(model));
        assertThat(json.get("opset").asLong()).isEqualTo(20);
        assertThat(json.get("inputs").get(0).get("name").asString()).isEqualTo("input");
        assertThat(json.get("quantizable").asBoolean()).isTrue();
        assertThat(json.get("quantizable_layers").size()).isGreaterThanOrEqualTo(2);

        String prefix = t.id() + "/models/" + json.get("id").asString() + "/";
        assertThat(store.list(prefix).stream().map(ObjectInfo::key))
                .containsExactly(prefix + "data/" + DATA, prefix + "model.onnx");
        try (var content = store.get(prefix + "data/" + DATA, null)) {
            assertThat(sha256(content.stream())).isEqualTo(sha256(data));
        }
    }

    private void assertJobSucceeds(TenantKey t, UUID model) {
        UUID dataset = upload(t, "/v1/datasets?name=calib.npz", ModelDatasets.mnistExternalDataCalibration(32));
        UUID job = createJob(t, json(model, dataset, "\"batch_size\":8"));
        JsonNode done = awaitTerminal(t, job, Duration.ofMinutes(2));
        assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("quantized_layers").size()).isGreaterThanOrEqualTo(2);
        JsonNode artifacts = t.client().get("/v1/jobs/" + job + "/artifacts").json();
        assertThat(artifacts.toString()).contains("mnist_fake_quant_model.onnx");
    }

    private void assertRefused(TenantKey t, Response r, String detail) {
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.problemType()).isEqualTo(PROBLEMS + "invalid-model");
        assertThat(r.json().get("detail").asString()).contains(detail).doesNotContain("scratch");
        assertThat(jdbc.queryForObject("select count(*) from models where tenant_id = ?", Integer.class, t.id()))
                .isZero();
        assertThat(store.list(t.id() + "/")).isEmpty();
    }

    /** The external-data MNIST with every tensor's {@code location} replaced by {@code location}. */
    private Path withLocation(String location) throws Exception {
        ModelProto proto;
        try (InputStream in = Files.newInputStream(RealModels.mnistExternalData())) {
            proto = ModelIo.parse(in, "mnist.onnx");
        }
        ModelProto moved = ModelTensors.rewrite(proto, tensor -> {
            if (tensor.getDataLocation() != TensorProto.DataLocation.EXTERNAL) return tensor;
            TensorProto.Builder b = tensor.toBuilder().clearExternalData();
            for (StringStringEntryProto e : tensor.getExternalDataList()) {
                b.addExternalData(e.getKey().equals("location") ? e.toBuilder().setValue(location) : e.toBuilder());
            }
            return b.build();
        });
        Path file = Files.createTempFile(tmp, "moved", ".onnx");
        try (OutputStream out = Files.newOutputStream(file)) {
            moved.writeTo(out);
        }
        return file;
    }

    private Path zip(Map<String, Path> entries) throws Exception {
        Path file = Files.createTempFile(tmp, "model", ".zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                Files.copy(e.getValue(), zip);
                zip.closeEntry();
            }
        }
        return file;
    }

    private Path writeText(String text) throws Exception {
        return Files.writeString(Files.createTempFile(tmp, "text", ".txt"), text);
    }

    private static String sha256(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        }
    }

    private static String sha256(InputStream in) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
    }
}
