package io.quantserve.bench;

import io.quantserve.engine.calibration.data.ArrayInfo;
import io.quantserve.engine.calibration.data.NpzArchive;
import io.quantserve.engine.calibration.data.NpzWriter;
import io.quantserve.engine.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

/** A larger calibration set made by repeating a smaller one, for the memory-scaling line. */
final class TiledDataset {
    private TiledDataset() {}

    /**
     * Writes {@code target}: every array of the {@code .npz} {@code source} repeated {@code times} along axis 0
     * (samples {@code 0..n-1, 0..n-1, …}), uncompressed. Reuses {@code target} when it already exists.
     */
    static Path write(Path source, int times, Path target) {
        if (Files.isRegularFile(target)) return target;
        SequencedMap<String, Tensor> arrays = new LinkedHashMap<>();
        try (NpzArchive archive = NpzArchive.open(source)) {
            for (ArrayInfo info : archive.arrays()) {
                Tensor t = archive.read(info.name());
                byte[] one = t.bytes();
                ByteBuffer all = ByteBuffer.allocate(Math.multiplyExact(one.length, times))
                        .order(ByteOrder.LITTLE_ENDIAN);
                for (int k = 0; k < times; k++) all.put(one);
                long[] shape = t.shape();
                shape[0] *= times;
                arrays.put(info.name(), Tensor.ofBytes(t.type(), shape, all.flip()));
            }
        }
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(
                    target.getParent(), target.getFileName().toString(), ".tmp");
            NpzWriter.write(tmp, arrays, false);
            Files.move(tmp, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + target, e);
        }
    }
}
