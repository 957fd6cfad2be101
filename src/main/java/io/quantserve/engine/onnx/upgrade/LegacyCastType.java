package io.quantserve.engine.onnx.upgrade;

import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import java.util.Locale;

/** Before opset 6, {@code Cast.to} named the target type as a string ({@code "FLOAT"}); since then it is the enum. */
final class LegacyCastType {
    private LegacyCastType() {}

    static int code(String name) {
        try {
            TensorProto.DataType t = TensorProto.DataType.valueOf(name.toUpperCase(Locale.ROOT));
            if (t == TensorProto.DataType.UNDEFINED) throw new IllegalArgumentException(name);
            return t.getNumber();
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException("Cast names an unknown target type '" + name + "'", e);
        }
    }
}
