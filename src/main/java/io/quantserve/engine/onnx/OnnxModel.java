package io.quantserve.engine.onnx;

import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.OperatorSetIdProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A loaded ONNX model: the protobuf plus the folder its external data is read from ({@code null} for a model
 * built in memory). Tensors stored externally stay external until they are read or the model is saved, so a
 * model larger than the 2 GB protobuf limit can be handled.
 */
public record OnnxModel(ModelProto proto, @Nullable Path baseDir) {
    public OnnxModel {
        Objects.requireNonNull(proto);
    }

    public static OnnxModel inMemory(ModelProto proto) {
        return new OnnxModel(proto, null);
    }

    public OnnxModel withProto(ModelProto newProto) {
        return new OnnxModel(newProto, baseDir);
    }

    /** Decodes a tensor of this model, reading external data from {@link #baseDir()} if needed. */
    public Tensor tensor(TensorProto t) {
        return TensorProtos.toTensor(t, baseDir);
    }

    /** The main graph's output names, in order. */
    public List<String> outputNames() {
        return proto.getGraph().getOutputList().stream().map(v -> v.getName()).toList();
    }

    /** Opset of the default ({@code ai.onnx}) domain; 1 when the model imports none. */
    public long defaultOpset() {
        return opset(proto);
    }

    public static long opset(ModelProto proto) {
        for (OperatorSetIdProto o : proto.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                return o.getVersion();
            }
        }
        return 1;
    }
}
