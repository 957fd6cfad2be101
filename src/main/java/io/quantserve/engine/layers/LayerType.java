package io.quantserve.engine.layers;

import java.util.Optional;

/**
 * The operators the engine quantizes, with the facts that differ between them. Behaviour that needs code
 * lives in the matching {@link LayerRule} of {@link LayerRules}.
 */
public enum LayerType {
    CONV("Conv", true, true),
    CONV_TRANSPOSE("ConvTranspose", true, true),
    GEMM("Gemm", true, false),
    MATMUL("MatMul", true, false),
    AVERAGE_POOL("AveragePool", false, false);

    private final String opType;
    private final boolean hasWeight;
    private final boolean channelWiseByDefault;

    LayerType(String opType, boolean hasWeight, boolean channelWiseByDefault) {
        this.opType = opType;
        this.hasWeight = hasWeight;
        this.channelWiseByDefault = channelWiseByDefault;
    }

    /** The ONNX {@code op_type}. */
    public String opType() {
        return opType;
    }

    /** False for activation-only layers (AveragePool: {@code scale_w = 1}). */
    public boolean hasWeight() {
        return hasWeight;
    }

    /** AMCT's default for {@code channel_wise}; also the only value AMCT allows for Gemm/MatMul/AveragePool. */
    public boolean channelWiseByDefault() {
        return channelWiseByDefault;
    }

    public static Optional<LayerType> forOpType(String opType) {
        for (LayerType t : values()) {
            if (t.opType.equals(opType)) return Optional.of(t);
        }
        return Optional.empty();
    }
}
