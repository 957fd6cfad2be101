package io.quantserve.service.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.MinioClient;
import io.quantserve.service.support.TestBackends;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.health.contributor.Status;

/** The S3 adapter against a real S3 server (s3proxy, signatures checked). */
@ExtendWith(TestBackends.class)
class S3ObjectStoreTest extends ObjectStoreContract {
    private static S3ObjectStore store;

    @BeforeAll
    static void open() {
        TestBackends.Running b = TestBackends.get();
        MinioClient client = MinioClient.builder()
                .endpoint(b.s3Endpoint().toString())
                .region("us-east-1")
                .credentials(b.s3AccessKey(), b.s3SecretKey())
                .build();
        store = new S3ObjectStore(
                client,
                client,
                "contract-" + UUID.randomUUID().toString().substring(0, 8),
                5L * 1024 * 1024,
                Duration.ofDays(7));
        store.ensureBucket();
        store.ensureBucket();
    }

    @Override
    ObjectStore store() {
        return store;
    }

    @Test
    void presignedUrlServesTheObjectWithoutCredentialsAndATamperedOneIsRefused() throws Exception {
        byte[] bytes = bytes(9, 2048);
        store.put(prefix + "p.bin", new ByteArrayInputStream(bytes), bytes.length, "application/octet-stream");

        URI url = store.presignedGet(prefix + "p.bin", Duration.ofMinutes(5)).orElseThrow();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> ok =
                http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo(bytes);

        URI tampered = URI.create(url.toString().replace("p.bin", "q.bin"));
        HttpResponse<byte[]> refused =
                http.send(HttpRequest.newBuilder(tampered).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(refused.statusCode()).isEqualTo(403);
    }

    @Test
    void presignValidityIsBounded() {
        assertThatThrownBy(() -> store.presignedGet(prefix + "p.bin", Duration.ofDays(8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wrongCredentialsFailAsStorageErrors() {
        TestBackends.Running b = TestBackends.get();
        MinioClient wrong = MinioClient.builder()
                .endpoint(b.s3Endpoint().toString())
                .region("us-east-1")
                .credentials(b.s3AccessKey(), "not-the-secret")
                .build();
        S3ObjectStore bad = new S3ObjectStore(wrong, wrong, "contract-x", 5L * 1024 * 1024, Duration.ofDays(7));
        assertThatThrownBy(bad::ensureBucket).isInstanceOf(StorageException.class);
        assertThat(new ObjectStoreHealth(bad).health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(new ObjectStoreHealth(store).health().getStatus()).isEqualTo(Status.UP);
    }
}
