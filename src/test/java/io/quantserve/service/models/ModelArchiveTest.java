package io.quantserve.service.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.InvalidModelException;
import io.quantserve.service.web.PayloadTooLargeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** Unpacking model zips: the hostile ones are refused before anything lands outside the target folder. */
class ModelArchiveTest {
    private static final DataSize LIMIT = DataSize.ofKilobytes(64);

    @TempDir
    Path tmp;

    @Test
    void theModelIsTheOneOnnxEntryWithItsDataBesideIt() throws Exception {
        Path zip =
                zip(Map.of("m/model.onnx", new byte[] {8, 1}, "m/w/model.data", new byte[10], "README", new byte[1]));
        Path target = Files.createDirectory(tmp.resolve("out"));

        Path model = ModelArchive.unpack(zip, target, LIMIT, 10);

        assertThat(model).isEqualTo(target.resolve("m/model.onnx"));
        assertThat(target.resolve("m/w/model.data")).hasSize(10);
        assertThat(ModelArchive.isZip(zip)).isTrue();
        assertThat(ModelArchive.isZip(model)).isFalse();
    }

    @Test
    void entriesLeavingTheFolderAreRefusedAndNothingLandsOutside() throws Exception {
        for (String name : new String[] {"../evil", "a/../../evil", "/etc/evil", "..\\evil", "C:/evil"}) {
            Map<String, byte[]> entries = new LinkedHashMap<>();
            entries.put("model.onnx", new byte[] {8, 1});
            entries.put(name, new byte[] {1});
            Path target = Files.createTempDirectory(tmp, "out");

            assertThatThrownBy(() -> ModelArchive.unpack(zip(entries), target, LIMIT, 10))
                    .as(name)
                    .isInstanceOf(InvalidModelException.class)
                    .hasMessageContaining("leaves the archive's folder");
            assertThat(tmp.resolve("evil")).doesNotExist();
        }
    }

    @Test
    void tooManyBytesTooManyEntriesOrNotExactlyOneModelAreRefused() throws Exception {
        Path target = Files.createDirectory(tmp.resolve("out"));
        Path big = zip(Map.of("model.onnx", new byte[(int) LIMIT.toBytes() + 1]));
        assertThatThrownBy(() -> ModelArchive.unpack(big, target, LIMIT, 10))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining(Long.toString(LIMIT.toBytes()));

        Path many = zip(Map.of("model.onnx", new byte[1], "a", new byte[1], "b", new byte[1]));
        assertThatThrownBy(() -> ModelArchive.unpack(many, Files.createTempDirectory(tmp, "o"), LIMIT, 2))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("more than 2 entries");

        Path two = zip(Map.of("a.onnx", new byte[1], "b.onnx", new byte[1]));
        assertThatThrownBy(() -> ModelArchive.unpack(two, Files.createTempDirectory(tmp, "o"), LIMIT, 10))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("exactly one .onnx file");
    }

    private Path zip(Map<String, byte[]> entries) throws Exception {
        Path file = Files.createTempFile(tmp, "model", ".zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }
}
