package io.quantserve.engine.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A dense tensor: element type, shape and the elements in row-major little-endian bytes (the layout of ONNX
 * {@code raw_data}, NumPy {@code .npy} payloads and ONNX Runtime buffers, so conversions are copies at most).
 * Immutable: accessors return copies or read-only views.
 */
public final class Tensor {
    private final DataType type;
    private final long[] shape;
    private final ByteBuffer data;

    private Tensor(DataType type, long[] shape, ByteBuffer data) {
        this.type = Objects.requireNonNull(type);
        this.shape = shape.clone();
        long expected = elementCount(shape) * type.byteWidth();
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " and type "
                    + type.displayName() + " needs " + expected + " bytes, got " + data.remaining());
        }
        this.data =
                data.slice().order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Wraps little-endian bytes (not copied: the caller hands them over). */
    public static Tensor ofBytes(DataType type, long[] shape, ByteBuffer littleEndianData) {
        return new Tensor(type, shape, littleEndianData);
    }

    public static Tensor ofFloats(long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new Tensor(DataType.FLOAT, shape, b);
    }

    public static Tensor ofLongs(long[] shape, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return new Tensor(DataType.INT64, shape, b);
    }

    public static Tensor ofInts(long[] shape, int[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        return new Tensor(DataType.INT32, shape, b);
    }

    public static Tensor ofInt8(long[] shape, byte[] values) {
        return new Tensor(DataType.INT8, shape, ByteBuffer.wrap(values.clone()));
    }

    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public DataType type() {
        return type;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int axis) {
        return shape[axis];
    }

    public long size() {
        return elementCount(shape);
    }

    /** A read-only little-endian view of the elements, positioned at 0. */
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    public byte[] bytes() {
        byte[] out = new byte[data.remaining()];
        data().get(out);
        return out;
    }

    /** Elements widened or narrowed to float; integer types convert exactly below 2^24. */
    public float[] toFloats() {
        float[] out = new float[Math.toIntExact(size())];
        copyFloats(out);
        return out;
    }

    /**
     * Writes the elements, converted as {@link #toFloats()} does, to the start of {@code out}, so that a caller
     * reading many tensors can reuse one array instead of allocating one per tensor.
     *
     * @return the number of elements written, {@link #size()}
     * @throws IllegalArgumentException when {@code out} is shorter than {@link #size()}
     */
    public int copyFloats(float[] out) {
        int n = Math.toIntExact(size());
        if (out.length < n) {
            throw new IllegalArgumentException("array of " + out.length + " floats for a tensor of " + n + " elements");
        }
        ByteBuffer b = data();
        switch (type) {
            case FLOAT -> b.asFloatBuffer().get(out, 0, n);
            case DOUBLE -> {
                for (int i = 0; i < n; i++) out[i] = (float) b.getDouble(i * 8);
            }
            case INT8 -> {
                for (int i = 0; i < n; i++) out[i] = b.get(i);
            }
            case UINT8, BOOL -> {
                for (int i = 0; i < n; i++) out[i] = b.get(i) & 0xff;
            }
            case INT16 -> {
                for (int i = 0; i < n; i++) out[i] = b.getShort(i * 2);
            }
            case UINT16 -> {
                for (int i = 0; i < n; i++) out[i] = b.getShort(i * 2) & 0xffff;
            }
            case INT32 -> {
                for (int i = 0; i < n; i++) out[i] = b.getInt(i * 4);
            }
            case UINT32 -> {
                for (int i = 0; i < n; i++) out[i] = b.getInt(i * 4) & 0xffffffffL;
            }
            case INT64, UINT64 -> {
                for (int i = 0; i < n; i++) out[i] = b.getLong(i * 8);
            }
            case FLOAT16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(b.getShort(i * 2));
            }
        }
        return n;
    }

    /** Elements as longs; only for integer and bool types. */
    public long[] toLongs() {
        int n = Math.toIntExact(size());
        long[] out = new long[n];
        ByteBuffer b = data();
        for (int i = 0; i < n; i++) {
            out[i] = switch (type) {
                case INT8 -> b.get(i);
                case UINT8, BOOL -> b.get(i) & 0xff;
                case INT16 -> b.getShort(i * 2);
                case UINT16 -> b.getShort(i * 2) & 0xffff;
                case INT32 -> b.getInt(i * 4);
                case UINT32 -> b.getInt(i * 4) & 0xffffffffL;
                case INT64, UINT64 -> b.getLong(i * 8);
                default -> throw new IllegalStateException("toLongs() on a " + type.displayName() + " tensor");
            };
        }
        return out;
    }

    /** The same elements under another shape of equal element count. */
    public Tensor reshape(long[] newShape) {
        if (elementCount(newShape) != size()) {
            throw new IllegalArgumentException(
                    "cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
        }
        return new Tensor(type, newShape, data());
    }

    /**
     * Rows {@code [from, to)} along axis 0, as a tensor sharing no state with this one.
     * Used to cut calibration batches out of a sample array.
     */
    public Tensor slice0(long from, long to) {
        if (rank() == 0 || from < 0 || to > shape[0] || from > to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + Arrays.toString(shape));
        }
        long rowBytes = (shape[0] == 0 ? 0 : size() / shape[0]) * type.byteWidth();
        long[] s = shape.clone();
        s[0] = to - from;
        ByteBuffer b = data();
        b.position(Math.toIntExact(from * rowBytes)).limit(Math.toIntExact(to * rowBytes));
        ByteBuffer copy = ByteBuffer.allocate(b.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        copy.put(b).flip();
        return new Tensor(type, s, copy);
    }

    @Override
    public String toString() {
        return type.displayName() + Arrays.toString(shape);
    }
}
