package io.quantserve.engine.tensor;

import java.util.Optional;

/** The ONNX element types the engine moves around, with their {@code TensorProto.DataType} number and width. */
public enum DataType {
    FLOAT(1, 4, "float32"),
    UINT8(2, 1, "uint8"),
    INT8(3, 1, "int8"),
    UINT16(4, 2, "uint16"),
    INT16(5, 2, "int16"),
    INT32(6, 4, "int32"),
    INT64(7, 8, "int64"),
    BOOL(9, 1, "bool"),
    FLOAT16(10, 2, "float16"),
    DOUBLE(11, 8, "float64"),
    UINT32(12, 4, "uint32"),
    UINT64(13, 8, "uint64");

    private final int onnxCode;
    private final int byteWidth;
    private final String displayName;

    DataType(int onnxCode, int byteWidth, String displayName) {
        this.onnxCode = onnxCode;
        this.byteWidth = byteWidth;
        this.displayName = displayName;
    }

    /** The {@code TensorProto.DataType} value. */
    public int onnxCode() {
        return onnxCode;
    }

    /** Bytes per element in little-endian raw storage. */
    public int byteWidth() {
        return byteWidth;
    }

    /** NumPy-style name, e.g. {@code float32}. */
    public String displayName() {
        return displayName;
    }

    public static Optional<DataType> fromOnnx(int code) {
        for (DataType t : values()) {
            if (t.onnxCode == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Name of any ONNX element type, known to this enum or not, for error messages. */
    public static String describe(int onnxCode) {
        return fromOnnx(onnxCode).map(DataType::displayName).orElse("onnx-type-" + onnxCode);
    }
}
