package io.quantserve.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.calibration.data.NpzArchive;
import io.quantserve.engine.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dataset cache writes once, atomically, and every fixture file equals a fresh build of its arrays. */
class DatasetCacheTest {

    @Test
    void generatesOnceThenReusesTheFileAndLeavesNoTemporaryFile() throws Exception {
        String name = "cache-test-" + UUID.randomUUID() + ".npz";
        AtomicInteger builds = new AtomicInteger();
        SequencedMap<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("x", Tensor.ofFloats(new long[] {2, 2}, new float[] {1, 2, 3, 4}));
        try {
            Path first = DatasetCache.npz(name, () -> {
                builds.incrementAndGet();
                return arrays;
            });
            Path second = DatasetCache.npz(name, () -> {
                builds.incrementAndGet();
                return arrays;
            });

            assertThat(second).isEqualTo(first);
            assertThat(builds).hasValue(1);
            try (NpzArchive npz = NpzArchive.open(first)) {
                assertThat(npz.read("x").toFloats()).containsExactly(1, 2, 3, 4);
            }
            try (Stream<Path> files = Files.list(DatasetCache.dir())) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(name)))
                        .containsExactly(name);
            }
        } finally {
            Files.deleteIfExists(DatasetCache.dir().resolve(name));
        }
    }

    @Test
    void cachedFixturesEqualAFreshBuildByteForByte(@TempDir Path dir) throws Exception {
        assertSameBytes(
                ModelDatasets.mnistCnnCalibration(64),
                DatasetArrays.digitsCalibration(RealModels.mnistCnn(), "mnist.npz", 64, DatasetArrays.CENTERED),
                dir.resolve("mnist.npz"));
        assertSameBytes(
                ModelDatasets.yoloxCalibration(),
                DatasetArrays.yolox(ModelDatasets.imageFiles()),
                dir.resolve("yolox.npz"));
        assertSameBytes(
                ModelDatasets.miniLmCalibration(),
                DatasetArrays.miniLm(ModelDatasets.sentences(0, 256), ModelDatasets.MINILM_SEQUENCE_LENGTH),
                dir.resolve("minilm.npz"));
    }

    private static void assertSameBytes(Path cached, SequencedMap<String, Tensor> fresh, Path scratch)
            throws Exception {
        DatasetCache.write(scratch, fresh);
        assertThat(Files.mismatch(cached, scratch)).as(cached.toString()).isEqualTo(-1L);
    }
}
