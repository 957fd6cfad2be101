package io.quantserve.service.models;

import io.quantserve.engine.InvalidModelException;
import io.quantserve.service.web.PayloadTooLargeException;
import io.quantserve.service.web.SafeZip;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.util.unit.DataSize;

/**
 * A zip holding one {@code .onnx} model and its external-data files, the model's {@code location} entries being
 * paths relative to the folder of the {@code .onnx} entry, unpacked by {@link SafeZip} (no entry outside the target
 * folder, bounded entries and bytes, no links).
 */
final class ModelArchive {
    private ModelArchive() {}

    /** True when {@code file} starts with a zip's local-file-header signature ({@code PK\3\4}). */
    static boolean isZip(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    /**
     * Unpacks {@code zip} into the empty folder {@code target} and returns the one {@code .onnx} file in it.
     *
     * @throws InvalidModelException for an unreadable zip, an entry outside the folder, or not exactly one model
     * @throws PayloadTooLargeException when the zip unpacks to more than {@code maxBytes} bytes
     */
    static Path unpack(Path zip, Path target, DataSize maxBytes, int maxEntries) {
        List<Path> models = new ArrayList<>();
        Path root = target.toAbsolutePath().normalize();
        for (Path file : SafeZip.unpack(zip, target, maxBytes.toBytes(), maxEntries, refusals(maxBytes))) {
            String name = root.relativize(file).toString().replace('\\', '/');
            if (name.endsWith(".onnx") && !name.startsWith("__MACOSX/")) models.add(file);
        }
        if (models.size() != 1) {
            throw new InvalidModelException("a model zip must hold exactly one .onnx file (next to its external data"
                    + " files), this one holds " + models.size());
        }
        return models.getFirst();
    }

    private static SafeZip.Refusals refusals(DataSize maxBytes) {
        return new SafeZip.Refusals() {
            @Override
            public RuntimeException unreadable(String reason) {
                return new InvalidModelException("the upload starts like a zip but is not a readable zip: " + reason);
            }

            @Override
            public RuntimeException tooManyEntries(int maxEntries) {
                return new InvalidModelException("the model zip holds more than " + maxEntries + " entries");
            }

            @Override
            public RuntimeException outside(String entry) {
                return new InvalidModelException("zip entry '" + entry
                        + "' leaves the archive's folder; entries must be relative paths without '..'");
            }

            @Override
            public RuntimeException tooLarge(long bytes) {
                return new PayloadTooLargeException("the unpacked model zip", maxBytes);
            }

            @Override
            public RuntimeException conflicting(String file) {
                return new InvalidModelException(
                        "the model zip's entries conflict (a file and a folder of the same name): " + file);
            }
        };
    }
}
