package io.quantserve.engine.config;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.layers.LayerType;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Whether Gemm and MatMul layers may have one weight scale per output column (QuantServe extension beyond AMCT,
 * top-level key {@code matmul_channel_wise}; written only when it is not the default {@link #OFF}, so a default
 * config stays plain AMCT).
 *
 * <p>AMCT allows {@code channel_wise: true} only for Conv and ConvTranspose. Per-column weight scales are exact for
 * Gemm and MatMul as well: the weight's zero point is 0, so {@code x·(q_W ⊙ s)} equals {@code (x·q_W) ⊙ s} column by
 * column and the dequantization multiplies each output column by its own {@code deq_scale}. Transformer models gain
 * most from it (all-MiniLM-L6-v2 loses about 0.03 cosine with per-tensor MatMul weights).
 */
public enum MatMulChannelWise {
    /** AMCT's rule: {@code channel_wise} must be false for Gemm and MatMul (true is a config error). */
    OFF("off"),
    /**
     * {@code channel_wise: true} is allowed for Gemm and MatMul; the fake-quant and INT8 models (and the record)
     * use one {@code scale_w} per output column, while the Ascend deploy model keeps AMCT's per-tensor rule: its
     * weight is quantized with the largest of the layer's {@code scale_w} and its {@code deq_scale} is one value.
     */
    PORTABLE("portable"),
    /** As {@link #PORTABLE}, and the deploy model's {@code AscendDequant} takes one {@code deq_scale} per column. */
    ALL("all");

    private final String jsonName;

    MatMulChannelWise(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The value of {@code matmul_channel_wise} in the JSON file. */
    public String jsonName() {
        return jsonName;
    }

    /** Whether Gemm/MatMul layers may set {@code channel_wise: true}. */
    public boolean allowsChannelWise() {
        return this != OFF;
    }

    /**
     * Whether a layer of kind {@code type} may have per-channel weights under this setting: Conv and ConvTranspose
     * always, Gemm and MatMul unless {@link #OFF}, AveragePool never. Also the default {@code channel_wise} that
     * {@link ConfigFactory} writes.
     */
    public boolean allowsChannelWise(LayerType type) {
        return type.channelWiseByDefault()
                || (allowsChannelWise() && (type == LayerType.GEMM || type == LayerType.MATMUL));
    }

    /** Whether the deploy model keeps per-column scales of Gemm/MatMul layers (else it requantizes per tensor). */
    public boolean inDeployModel() {
        return this == ALL;
    }

    /**
     * The setting named {@code name} (exact match).
     *
     * @throws InvalidConfigException naming the allowed values when there is none
     */
    public static MatMulChannelWise fromJson(String name) {
        for (MatMulChannelWise m : values()) {
            if (m.jsonName.equals(name)) return m;
        }
        throw new InvalidConfigException("matmul_channel_wise '" + name + "' is not one of "
                + Arrays.stream(values()).map(m -> "'" + m.jsonName + "'").collect(Collectors.joining(", ")));
    }
}
