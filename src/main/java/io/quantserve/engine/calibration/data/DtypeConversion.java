package io.quantserve.engine.calibration.data;

import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * How data of one element type is turned into a model input of another. The policy, decided once for every data
 * source:
 *
 * <ul>
 *   <li>same type: fed as is;
 *   <li>float to float ({@code float16}, {@code float32}, {@code float64} in any direction): rounded to nearest;
 *       a finite value the target cannot hold (e.g. 1e300 into float32) is an error, never a silent infinity;
 *   <li>integer to a wider integer type that holds every value of the source (e.g. int32 token ids for an int64
 *       input): converted exactly;
 *   <li>everything else is refused. In particular integer or bool data is <em>not</em> converted to a float input:
 *       images stored as uint8 need the model's own scaling (x/255, mean/std), which the engine cannot guess, so the
 *       error asks for the preprocessed float array instead.
 * </ul>
 */
enum DtypeConversion {
    NONE,
    FLOAT_CAST,
    INTEGER_WIDENING;

    /** Inclusive value range of each integer type, {@code [min, max]} with max of uint64 clamped to long. */
    private static final Map<DataType, long[]> INTEGER_RANGES = Map.of(
            DataType.INT8, new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE},
            DataType.UINT8, new long[] {0, 0xff},
            DataType.INT16, new long[] {Short.MIN_VALUE, Short.MAX_VALUE},
            DataType.UINT16, new long[] {0, 0xffff},
            DataType.INT32, new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE},
            DataType.UINT32, new long[] {0, 0xffffffffL},
            DataType.INT64, new long[] {Long.MIN_VALUE, Long.MAX_VALUE});

    static boolean isFloat(DataType t) {
        return t == DataType.FLOAT || t == DataType.DOUBLE || t == DataType.FLOAT16;
    }

    /**
     * The conversion from {@code data} to {@code input}.
     *
     * @throws InvalidDataException naming the input and the array when the policy refuses it
     */
    static DtypeConversion between(DataType data, DataType input, String inputName, String array) {
        if (data == input) {
            return NONE;
        }
        if (isFloat(data) && isFloat(input)) {
            return FLOAT_CAST;
        }
        long[] from = INTEGER_RANGES.get(data);
        long[] to = INTEGER_RANGES.get(input);
        if (from != null && to != null && to[0] <= from[0] && from[1] <= to[1]) {
            return INTEGER_WIDENING;
        }
        String prefix = "model input '" + inputName + "' takes " + input.displayName() + " but array '" + array
                + "' holds " + data.displayName();
        if (isFloat(input)) {
            throw new InvalidDataException(prefix + "; integer data is not converted to float implicitly because the"
                    + " scaling (e.g. x/255, mean/std) belongs to the model's preprocessing: save the preprocessed"
                    + " array as " + input.displayName() + ", e.g. np.savez(f, " + inputName + "=x.astype(np."
                    + input.displayName() + "))");
        }
        throw new InvalidDataException(prefix + "; only float-to-float and lossless integer widening are converted:"
                + " save the array as " + input.displayName());
    }

    /**
     * Applies this conversion. For {@link #FLOAT_CAST}, {@code firstSample} and {@code label} name the sample in
     * the error raised when a finite value overflows the target type.
     */
    Tensor apply(Tensor t, DataType target, long firstSample, String label) {
        return switch (this) {
            case NONE -> t;
            case FLOAT_CAST -> castFloats(t, target, firstSample, label);
            case INTEGER_WIDENING -> widen(t, target);
        };
    }

    private static Tensor castFloats(Tensor t, DataType target, long firstSample, String label) {
        int n = Math.toIntExact(t.size());
        ByteBuffer src = t.data();
        ByteBuffer out =
                ByteBuffer.allocate(Math.multiplyExact(n, target.byteWidth())).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            double v = switch (t.type()) {
                case DOUBLE -> src.getDouble(i * 8);
                case FLOAT -> src.getFloat(i * 4);
                default -> Float.float16ToFloat(src.getShort(i * 2));
            };
            boolean overflow;
            switch (target) {
                case DOUBLE -> {
                    out.putDouble(v);
                    overflow = false;
                }
                case FLOAT -> {
                    float f = (float) v;
                    out.putFloat(f);
                    overflow = Float.isInfinite(f);
                }
                default -> {
                    short h = Float.floatToFloat16((float) v);
                    out.putShort(h);
                    overflow = Float.isInfinite(Float.float16ToFloat(h));
                }
            }
            if (overflow && Double.isFinite(v)) {
                long perSample = Math.max(1, t.size() / Math.max(1, t.rank() == 0 ? 1 : t.dim(0)));
                throw new InvalidDataException(label + ": sample " + (firstSample + i / perSample) + " holds " + v
                        + " (element " + (i % perSample) + " of the sample), outside the range of "
                        + target.displayName());
            }
        }
        out.flip();
        return Tensor.ofBytes(target, t.shape(), out);
    }

    private static Tensor widen(Tensor t, DataType target) {
        long[] values = t.toLongs();
        ByteBuffer out = ByteBuffer.allocate(Math.multiplyExact(values.length, target.byteWidth()))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (target.byteWidth()) {
                case 2 -> out.putShort((short) v);
                case 4 -> out.putInt((int) v);
                default -> out.putLong(v);
            }
        }
        out.flip();
        return Tensor.ofBytes(target, t.shape(), out);
    }
}
