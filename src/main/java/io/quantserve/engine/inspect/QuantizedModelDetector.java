package io.quantserve.engine.inspect;

import io.quantserve.engine.inspect.GraphIndex.ScopedNode;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Recognises models that are already quantized: quantization operators of any domain (standard ONNX, ONNX
 * Runtime's {@code com.microsoft} contrib ops, Ascend's deploy ops), or 8-bit integer constants feeding a
 * Conv/ConvTranspose/Gemm/MatMul weight (directly or through Cast/Reshape/Mul-style nodes, as weight-only
 * quantized exports do).
 */
final class QuantizedModelDetector {
    /** Operators that only occur in quantized graphs, matched on op type whatever the domain. */
    private static final Set<String> QUANTIZATION_OPS = Set.of(
            "QuantizeLinear",
            "DequantizeLinear",
            "DynamicQuantizeLinear",
            "ConvInteger",
            "MatMulInteger",
            "MatMulIntegerToFloat",
            "DynamicQuantizeMatMul",
            "DynamicQuantizeLSTM",
            "QGemm",
            "QAttention",
            "QEmbedLayerNormalization",
            "QuantizeWithOrder",
            "DequantizeWithOrder",
            "AscendQuant",
            "AscendDequant",
            "AscendAntiQuant",
            "AscendRequant",
            "AscendRequantS16");

    /** Op type prefixes of quantized operator families ({@code QLinearConv}, {@code QOrderedMatMul}, …). */
    private static final List<String> QUANTIZATION_PREFIXES = List.of("QLinear", "QOrdered");

    private static final Set<Integer> EIGHT_BIT =
            Set.of(TensorProto.DataType.INT8_VALUE, TensorProto.DataType.UINT8_VALUE);

    private QuantizedModelDetector() {}

    /** A sentence starting with "already quantized:" naming the first evidence found, or empty. */
    static Optional<String> find(GraphIndex index) {
        List<ScopedNode> quantNodes = new ArrayList<>();
        for (ScopedNode s : index.nodes()) {
            if (isQuantizationOp(s.node().getOpType())) quantNodes.add(s);
        }
        if (!quantNodes.isEmpty()) {
            ScopedNode first = quantNodes.getFirst();
            String more = quantNodes.size() > 1 ? " (and " + (quantNodes.size() - 1) + " more quantization nodes)" : "";
            return Optional.of("already quantized: found " + Phrases.node(first) + more
                    + ". QuantServe quantizes float models: give it the original float32 model.");
        }
        return index.firstWeightOfType(EIGHT_BIT)
                .map(w -> "already quantized: " + Phrases.node(w.layer()) + " has "
                        + Phrases.weight(w.source())
                        + ". QuantServe quantizes float models: give it the original float32 model.");
    }

    private static boolean isQuantizationOp(String opType) {
        return QUANTIZATION_OPS.contains(opType)
                || QUANTIZATION_PREFIXES.stream().anyMatch(opType::startsWith);
    }
}
