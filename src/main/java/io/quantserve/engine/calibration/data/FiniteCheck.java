package io.quantserve.engine.calibration.data;

import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.tensor.Tensor;
import java.nio.ByteBuffer;

/**
 * Refuses NaN and infinity in float data as it streams past, naming the input and the sample, because a single NaN
 * poisons every range statistic calibration computes.
 */
final class FiniteCheck {
    private FiniteCheck() {}

    /**
     * Checks a block of samples; integer tensors pass untouched.
     *
     * @param samples how many samples {@code t} holds (its elements split evenly among them)
     * @param firstSample index of the block's first sample in the whole dataset
     * @param label names the input and its source in the message, e.g. {@code model input 'x' (array 'calib')}
     * @throws InvalidDataException at the first non-finite element
     */
    static void require(Tensor t, long samples, long firstSample, String label) {
        if (!DtypeConversion.isFloat(t.type())) {
            return;
        }
        int n = Math.toIntExact(t.size());
        ByteBuffer b = t.data();
        for (int i = 0; i < n; i++) {
            double v = switch (t.type()) {
                case FLOAT -> b.getFloat(i * 4);
                case DOUBLE -> b.getDouble(i * 8);
                default -> Float.float16ToFloat(b.getShort(i * 2));
            };
            if (!Double.isFinite(v)) {
                long perSample = Math.max(1, n / Math.max(1, samples));
                throw new InvalidDataException(label + ": sample " + (firstSample + i / perSample) + " holds "
                        + (Double.isNaN(v) ? "NaN" : v > 0 ? "+inf" : "-inf") + " (element " + (i % perSample)
                        + " of the sample); calibration data must be finite");
            }
        }
    }
}
