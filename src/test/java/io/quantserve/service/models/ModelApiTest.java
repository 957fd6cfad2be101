package io.quantserve.service.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.service.storage.ObjectStore;
import io.quantserve.service.support.Api.Response;
import io.quantserve.service.support.ServiceTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ModelApiTest extends ServiceTest {
    @Autowired
    ObjectStore store;

    @Test
    void rawUploadOfMnistIsInspectedAndStored() throws Exception {
        TenantKey t = newTenant("models");
        Path model = mnist();
        Response r = t.client().postFile("/v1/models?name=mnist_cnn.onnx", model, "application/octet-stream");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        var json = r.json();
        assertThat(json.get("name").asString()).isEqualTo("mnist_cnn.onnx");
        assertThat(json.get("size_bytes").asLong()).isEqualTo(Files.size(model));
        assertThat(json.get("sha256").asString())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(model))));
        assertThat(r.headers().firstValue("Location"))
                .hasValue("/v1/models/" + json.get("id").asString());
        System.err.println(r.body());
    }
}
