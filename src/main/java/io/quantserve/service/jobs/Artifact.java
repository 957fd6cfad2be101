package io.quantserve.service.jobs;

import java.time.Instant;
import java.util.UUID;

/**
 * A published artefact of a job: a row of {@code job_artifacts} pointing at a complete object.
 *
 * @param name the file name the engine wrote ({@code mnist_cnn_fake_quant_model.onnx}, {@code report.json}, …)
 * @param attempt the attempt that produced it
 * @param objectKey where the bytes are: {@code {tenant}/jobs/{job}/attempts/{attempt}/{name}}
 * @param sizeBytes length in bytes
 * @param sha256 lower-case hex SHA-256 of the content; also the download's entity tag
 * @param contentType the media type served
 */
public record Artifact(
        UUID jobId,
        String name,
        int attempt,
        String objectKey,
        long sizeBytes,
        String sha256,
        String contentType,
        Instant createdAt) {}
