package io.quantserve.engine.calibration.data;

import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.tensor.DataType;
import java.util.Map;

/** Maps NumPy {@code descr} strings to engine element types and back (little-endian only). */
final class NpyDtypes {
    private static final Map<String, DataType> BY_CODE = Map.ofEntries(
            Map.entry("f4", DataType.FLOAT),
            Map.entry("f8", DataType.DOUBLE),
            Map.entry("f2", DataType.FLOAT16),
            Map.entry("u1", DataType.UINT8),
            Map.entry("i1", DataType.INT8),
            Map.entry("b1", DataType.BOOL),
            Map.entry("i2", DataType.INT16),
            Map.entry("u2", DataType.UINT16),
            Map.entry("i4", DataType.INT32),
            Map.entry("u4", DataType.UINT32),
            Map.entry("i8", DataType.INT64),
            Map.entry("u8", DataType.UINT64));

    static final String SUPPORTED = "<f4, <f8, <f2, |u1, |i1, |b1, <i2, <u2, <i4, <u4, <i8, <u8";

    private NpyDtypes() {}

    /**
     * The element type of a {@code descr}. One-byte types accept any byte-order mark; wider ones must be
     * little-endian ({@code <}).
     *
     * @throws InvalidDataException naming {@code array} for big-endian, structured or unknown dtypes
     */
    static DataType parse(String descr, String array) {
        if (descr.length() == 3) {
            char order = descr.charAt(0);
            DataType type = BY_CODE.get(descr.substring(1));
            if (type != null) {
                if (type.byteWidth() == 1 && "|<>=".indexOf(order) >= 0) {
                    return type;
                }
                if (order == '<') {
                    return type;
                }
                if (order == '>') {
                    throw new InvalidDataException("array '" + array + "' is big-endian ('" + descr
                            + "'); only little-endian data is read: re-save it with a.astype('<"
                            + descr.substring(1) + "')");
                }
            }
        }
        throw new InvalidDataException("array '" + array + "' has dtype '" + descr
                + "', which the engine cannot read; supported dtypes: " + SUPPORTED);
    }

    /** The {@code descr} NumPy writes for an element type. */
    static String descr(DataType type) {
        return switch (type) {
            case FLOAT -> "<f4";
            case DOUBLE -> "<f8";
            case FLOAT16 -> "<f2";
            case UINT8 -> "|u1";
            case INT8 -> "|i1";
            case BOOL -> "|b1";
            case INT16 -> "<i2";
            case UINT16 -> "<u2";
            case INT32 -> "<i4";
            case UINT32 -> "<u4";
            case INT64 -> "<i8";
            case UINT64 -> "<u8";
        };
    }
}
