package io.quantserve.testing;

import io.quantserve.engine.calibration.data.NpzWriter;
import io.quantserve.engine.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SequencedMap;
import java.util.function.Supplier;

/**
 * Generated test datasets, written once under {@code java.io.tmpdir/quantserve-test-data/} and reused by later
 * tests and later runs. A file appears only complete: it is written to a temporary name and moved into place
 * atomically, so a crashed or concurrent writer never leaves a half-written archive under the final name. File names
 * carry a format version; bump it whenever the preprocessing changes so stale files are not reused.
 */
final class DatasetCache {
    private DatasetCache() {}

    /** The cache folder, created on demand. */
    static Path dir() {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "quantserve-test-data");
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("creating " + dir, e);
        }
    }

    /**
     * The cached {@code .npz} called {@code fileName}, generated from {@code arrays} when absent.
     *
     * @param arrays computes the arrays (keyed by model input name) only when the file must be written
     */
    static synchronized Path npz(String fileName, Supplier<SequencedMap<String, Tensor>> arrays) {
        Path target = dir().resolve(fileName);
        if (Files.isRegularFile(target)) {
            return target;
        }
        write(target, arrays.get());
        return target;
    }

    /** Writes {@code arrays} (uncompressed, deterministic bytes) to {@code target} atomically. */
    static void write(Path target, SequencedMap<String, Tensor> arrays) {
        try {
            Path tmp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp");
            try {
                NpzWriter.write(tmp, arrays, false);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing test dataset " + target, e);
        }
    }
}
