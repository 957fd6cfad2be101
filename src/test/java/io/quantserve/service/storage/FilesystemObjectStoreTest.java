package io.quantserve.service.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemObjectStoreTest extends ObjectStoreContract {
    @TempDir
    Path root;

    private ObjectStore store;

    @BeforeEach
    void open() {
        store = new FilesystemObjectStore(root);
    }

    @Override
    ObjectStore store() {
        return store;
    }

    @Test
    void objectsAreFilesUnderTheRootAndStagingIsLeftEmpty() {
        store.put("t/models/1/model.onnx", new ByteArrayInputStream(new byte[] {1, 2}), 2, "application/octet-stream");

        assertThat(root.resolve("objects/t/models/1/model.onnx")).hasBinaryContent(new byte[] {1, 2});
        assertThat(root.resolve("staging")).isEmptyDirectory();
        store.delete("t/models/1/model.onnx");
        assertThat(Files.exists(root.resolve("objects/t")))
                .as("empty folders are pruned")
                .isFalse();
    }

    @Test
    void cannotSignUrls() {
        assertThat(store.presignedGet("t/x", Duration.ofMinutes(5))).isEmpty();
    }
}
