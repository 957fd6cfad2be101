package io.quantserve.engine.inspect;

import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.onnx.proto.Onnx.ValueInfoProto;
import java.util.Optional;
import java.util.Set;

/**
 * Recognises half-precision models, which the engine refuses: a main-graph input of type float16/bfloat16, or a
 * float16/bfloat16 constant feeding the weight of a Conv/ConvTranspose/Gemm/MatMul (directly or through a Cast,
 * as mixed-precision exports store it).
 */
final class Float16Detector {
    private static final Set<Integer> HALF =
            Set.of(TensorProto.DataType.FLOAT16_VALUE, TensorProto.DataType.BFLOAT16_VALUE);

    private static final String REMEDY = ". QuantServe quantizes float32 models: convert it to float32 first.";

    private Float16Detector() {}

    /** A sentence starting with "float16 model:" naming the first evidence found, or empty. */
    static Optional<String> find(ModelProto model, GraphIndex index) {
        for (ValueInfoProto v : model.getGraph().getInputList()) {
            if (v.getType().hasTensorType()
                    && HALF.contains(v.getType().getTensorType().getElemType())) {
                return Optional.of("float16 model: graph input '" + v.getName() + "' is "
                        + Phrases.typeName(v.getType().getTensorType().getElemType()) + REMEDY);
            }
        }
        return index.firstWeightOfType(HALF)
                .map(w -> "float16 model: " + Phrases.node(w.layer()) + " has " + Phrases.weight(w.source()) + REMEDY);
    }
}
