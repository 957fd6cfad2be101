package io.quantserve.testing;

import io.quantserve.engine.calibration.data.NpzArchive;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.function.DoubleUnaryOperator;

/** Raw arrays of the shared {@code .npz} files ({@code ../shared/data}) and their conversion to model inputs. */
final class SharedArrays {
    private SharedArrays() {}

    /** Array {@code key} of {@code data/<npzFile>}; the calling test is skipped when the file is absent. */
    static Tensor read(String npzFile, String key) {
        Path file = SharedFixtures.shared("data/" + npzFile);
        try (NpzArchive archive = NpzArchive.open(file)) {
            return archive.read(key);
        }
    }

    /**
     * {@code pixels} (any integer type) as float32 of {@code shape}, each element mapped by {@code f}. {@code f} runs
     * in double precision and the result is rounded to float once, as NumPy's {@code (x/255-0.5)/0.5} on a uint8
     * array followed by {@code astype(float32)} does.
     */
    static Tensor toFloat(Tensor pixels, long[] shape, DoubleUnaryOperator f) {
        long[] values = pixels.toLongs();
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) f.applyAsDouble(values[i]);
        }
        return Tensor.ofFloats(shape, out);
    }

    /** Integer labels widened to int64. */
    static Tensor toInt64(Tensor labels) {
        if (labels.type() == DataType.INT64) {
            return labels;
        }
        return Tensor.ofLongs(labels.shape(), labels.toLongs());
    }
}
