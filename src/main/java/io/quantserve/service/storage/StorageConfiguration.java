package io.quantserve.service.storage;

import io.minio.MinioClient;
import java.net.URI;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the {@link ObjectStore} adapter {@code quantserve.storage.type} names. */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    @Bean
    ObjectStore objectStore(StorageProperties properties) {
        return switch (properties.type()) {
            case FILESYSTEM -> new FilesystemObjectStore(properties.filesystem().root());
            case S3 -> s3(properties.s3());
        };
    }

    private static ObjectStore s3(StorageProperties.S3 s3) {
        URI endpoint = required(s3.endpoint(), "endpoint");
        URI publicEndpoint = s3.publicEndpoint() == null ? endpoint : s3.publicEndpoint();
        String accessKey = required(s3.accessKey(), "access-key");
        String secretKey = required(s3.secretKey(), "secret-key");
        S3ObjectStore store = new S3ObjectStore(
                client(endpoint, s3.region(), accessKey, secretKey),
                client(publicEndpoint, s3.region(), accessKey, secretKey),
                s3.bucket(),
                s3.partSize().toBytes(),
                s3.maxPresignValidity());
        if (s3.createBucket()) store.ensureBucket();
        return store;
    }

    private static MinioClient client(URI endpoint, String region, String accessKey, String secretKey) {
        return MinioClient.builder()
                .endpoint(endpoint.toString())
                .region(region)
                .credentials(accessKey, secretKey)
                .build();
    }

    private static <T> T required(T value, String key) {
        if (value == null) {
            throw new IllegalStateException(
                    "quantserve.storage.s3." + key + " must be set when quantserve.storage.type=s3");
        }
        return value;
    }
}
