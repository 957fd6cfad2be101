package io.quantserve.service.web;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of uploads ({@code quantserve.uploads.*}).
 *
 * @param maxSize the largest model or dataset accepted, raw body or multipart file (default 2 GB, the protobuf limit
 *     of a single-file ONNX model); larger uploads are answered 413
 * @param scratchDir folder for uploads being checked before they are stored and for files being inspected;
 *     default {@code <java.io.tmpdir>/quantserve-scratch}
 */
@ConfigurationProperties("quantserve.uploads")
public record UploadProperties(
        @DefaultValue("2GB") DataSize maxSize, @Nullable Path scratchDir) {

    /** {@link #scratchDir()}, or the default under the system temporary folder. */
    public Path scratch() {
        return scratchDir != null ? scratchDir : Path.of(System.getProperty("java.io.tmpdir"), "quantserve-scratch");
    }
}
