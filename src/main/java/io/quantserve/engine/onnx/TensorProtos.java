package io.quantserve.engine.onnx;

import com.google.protobuf.ByteString;
import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** Converts between ONNX {@code TensorProto} (raw, typed-field or external storage) and {@link Tensor}. */
public final class TensorProtos {
    private TensorProtos() {}

    /**
     * Decodes a tensor. External data is read relative to {@code baseDir} through {@link ExternalData}, which
     * refuses locations outside that folder; {@code baseDir} may be null when the tensor is known to be inline.
     */
    public static Tensor toTensor(TensorProto t, Path baseDir) {
        DataType type = DataType.fromOnnx(t.getDataType())
                .orElseThrow(() -> new InvalidModelException(
                        "tensor '" + t.getName() + "' has unsupported type " + DataType.describe(t.getDataType())));
        long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        int n = Math.toIntExact(Tensor.elementCount(shape));
        ByteBuffer out;
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            out = ByteBuffer.wrap(ExternalData.read(t, baseDir));
        } else if (t.hasRawData()) {
            out = t.getRawData().asReadOnlyByteBuffer();
        } else {
            out = ByteBuffer.allocate(n * type.byteWidth()).order(ByteOrder.LITTLE_ENDIAN);
            switch (type) {
                case FLOAT -> t.getFloatDataList().forEach(out::putFloat);
                case DOUBLE -> t.getDoubleDataList().forEach(out::putDouble);
                case INT64 -> t.getInt64DataList().forEach(out::putLong);
                case UINT32 -> t.getUint64DataList().forEach(v -> out.putInt(v.intValue()));
                case UINT64 -> t.getUint64DataList().forEach(out::putLong);
                case INT32 -> t.getInt32DataList().forEach(out::putInt);
                case INT16, UINT16, FLOAT16 -> t.getInt32DataList().forEach(v -> out.putShort(v.shortValue()));
                case INT8, UINT8, BOOL -> t.getInt32DataList().forEach(v -> out.put(v.byteValue()));
            }
            if (out.position() != out.capacity()) {
                throw new InvalidModelException("tensor '" + t.getName() + "' holds "
                        + out.position() / type.byteWidth() + " elements but its shape needs " + n);
            }
            out.flip();
        }
        try {
            return Tensor.ofBytes(type, shape, out.order(ByteOrder.LITTLE_ENDIAN));
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException("tensor '" + t.getName() + "': " + e.getMessage(), e);
        }
    }

    /** Encodes a tensor as an inline {@code raw_data} initializer. */
    public static TensorProto fromTensor(String name, Tensor tensor) {
        TensorProto.Builder b =
                TensorProto.newBuilder().setName(name).setDataType(tensor.type().onnxCode());
        for (long d : tensor.shape()) {
            b.addDims(d);
        }
        return b.setRawData(ByteString.copyFrom(tensor.data())).build();
    }

    /** Size in bytes of the tensor's payload, wherever it is stored (typed fields estimated by element width). */
    public static long payloadBytes(TensorProto t) {
        long n = 1;
        for (long d : t.getDimsList()) n *= d;
        return n * DataType.fromOnnx(t.getDataType()).map(DataType::byteWidth).orElse(1);
    }
}
