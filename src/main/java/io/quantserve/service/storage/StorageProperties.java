package io.quantserve.service.storage;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the object store ({@code quantserve.storage.*}).
 *
 * @param type which adapter serves the {@link ObjectStore} port
 * @param filesystem settings of the filesystem adapter
 * @param s3 settings of the S3 adapter
 */
@ConfigurationProperties("quantserve.storage")
public record StorageProperties(
        @DefaultValue("filesystem") Type type,
        @DefaultValue Filesystem filesystem,
        @DefaultValue S3 s3) {

    /** The adapters. */
    public enum Type {
        /** Objects are files under {@link Filesystem#root()}; no presigned URLs. */
        FILESYSTEM,
        /** Any S3-compatible server (MinIO, AWS S3, s3proxy) through the MinIO client. */
        S3
    }

    /**
     * @param root folder holding {@code objects/} (the objects, one file per key) and {@code staging/} (puts in
     *     progress); created when missing
     */
    public record Filesystem(
            @DefaultValue("quantserve-data/storage") Path root) {}

    /**
     * @param endpoint the S3 server the service talks to, e.g. {@code http://minio:9000}; required for type S3
     * @param publicEndpoint the address clients reach the same server at, used only to sign presigned URLs (e.g.
     *     {@code http://localhost:9000} when the service reaches MinIO by a container name); defaults to
     *     {@code endpoint}
     * @param region the bucket's region; stated so that signing needs no network round trip
     * @param bucket the bucket holding every object, created on start when missing and {@code createBucket} is set
     * @param accessKey access key id
     * @param secretKey secret access key
     * @param partSize part size of multipart uploads (5 MiB to 5 GiB); one part is buffered in memory per upload
     * @param createBucket whether to create a missing bucket on start
     * @param maxPresignValidity the longest validity a presigned URL may be given (S3 allows at most 7 days)
     */
    public record S3(
            @Nullable URI endpoint,
            @Nullable URI publicEndpoint,
            @DefaultValue("us-east-1") String region,
            @DefaultValue("quantserve") String bucket,
            @Nullable String accessKey,
            @Nullable String secretKey,
            @DefaultValue("16MB") DataSize partSize,
            @DefaultValue("true") boolean createBucket,
            @DefaultValue("7d") Duration maxPresignValidity) {}
}
