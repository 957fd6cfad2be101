package io.quantserve.engine.calibration.data;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.tensor.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the element type and dims of a serialized ONNX {@code TensorProto} file, skipping its payload
 * fields, so a test-data folder can be described and validated without holding any tensor in memory.
 */
final class TensorProtoHeader {
    private static final int DIMS = 1;
    private static final int DATA_TYPE = 2;

    private TensorProtoHeader() {}

    /**
     * @param label how errors name the tensor, e.g. {@code test_data_set_0/input_1}
     * @throws InvalidDataException when the file is not a TensorProto or its element type is not one the engine
     *     feeds
     */
    static ArrayInfo read(Path file, String label) {
        int dataType = 0;
        long[] dims = new long[0];
        int rank = 0;
        try (InputStream in = Files.newInputStream(file)) {
            CodedInputStream c = CodedInputStream.newInstance(in, 1 << 16);
            c.setSizeLimit(Integer.MAX_VALUE);
            while (true) {
                int tag = c.readTag();
                if (tag == 0) {
                    break;
                }
                int field = WireFormat.getTagFieldNumber(tag);
                int wire = WireFormat.getTagWireType(tag);
                if (field == DIMS && wire == WireFormat.WIRETYPE_VARINT) {
                    dims = append(dims, rank++, c.readInt64());
                } else if (field == DIMS && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    int limit = c.pushLimit(c.readRawVarint32());
                    while (c.getBytesUntilLimit() > 0) {
                        dims = append(dims, rank++, c.readInt64());
                    }
                    c.popLimit(limit);
                } else if (field == DATA_TYPE && wire == WireFormat.WIRETYPE_VARINT) {
                    dataType = c.readInt32();
                } else if (!c.skipField(tag)) {
                    break;
                }
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new InvalidDataException(
                    "'" + label + "' (" + file + ") is not a serialized TensorProto: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
        long[] shape = Arrays.copyOf(dims, rank);
        int code = dataType;
        DataType type = DataType.fromOnnx(code)
                .orElseThrow(() -> new InvalidDataException("'" + label + "' (" + file + ") holds "
                        + DataType.describe(code) + " elements, which the engine does not feed"));
        for (long d : shape) {
            if (d < 0) {
                throw new InvalidDataException("'" + label + "' has a negative dimension " + Arrays.toString(shape));
            }
        }
        return new ArrayInfo(label, type, shape);
    }

    private static long[] append(long[] dims, int at, long value) {
        long[] out = at < dims.length ? dims : Arrays.copyOf(dims, Math.max(4, dims.length * 2));
        out[at] = value;
        return out;
    }
}
