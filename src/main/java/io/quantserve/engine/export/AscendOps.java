package io.quantserve.engine.export;

import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import java.util.List;

/**
 * The Ascend operators of AMCT's deploy model, spelled the way AMCT writes them and ATC's ONNX parser reads
 * them.
 *
 * <p>Sources: AMCT's open code ({@code hicann/amct}, {@code insert_quant_pass.py} and
 * {@code insert_dequant_pass.py}) and CANN's ONNX parser plugins ({@code ascend_quant_onnx_plugin.cpp},
 * {@code ascend_dequant_onnx_plugin.cpp}). What we follow and why:
 *
 * <ul>
 *   <li><b>Domain:</b> none (the default ONNX domain). AMCT sets no domain on either node and ATC registers
 *       them as {@code ai.onnx::<opset>::AscendQuant}; the deploy model therefore imports no extra opset and
 *       does not run in stock ONNX Runtime.
 *   <li><b>AscendQuant</b> (one input {@code x}, float; one output, int8): {@code scale} FLOAT
 *       {@code = 1/scale_d}, {@code offset} FLOAT {@code = offset_d}, {@code dst_type} STRING {@code "INT8"}
 *       (AMCT writes the string {@code "INT" + num_bits}), then {@code sqrt_mode} INT 0 and {@code round_mode}
 *       STRING {@code "Round"}. AMCT omits the last two and relies on ATC's defaults, which are exactly these
 *       values; we write them so the file states its semantics. ONNX has no bool attribute type and ATC reads
 *       {@code sqrt_mode} with {@code attr.i()}, hence INT.
 *   <li><b>AscendDequant</b> (inputs: int32 layer result, uint64 {@code deq_scale}; output float):
 *       {@code dtype} INT 0 (GE's {@code DT_FLOAT}), {@code sqrt_mode} INT 0, {@code relu_flag} INT 0 — the
 *       types ATC's parser reads ({@code dtype} must be INT; the flags are read with {@code attr.i()}).
 *   <li><b>deq_scale</b>: one uint64 per output channel (shape {@code [C]}, {@code [1]} per tensor), bits 31..0
 *       the float32 bit pattern of {@code scale_d * scale_w[c]}, bits 47..40 {@code offset_w} (always 0 here),
 *       every other bit 0 — AMCT's {@code fuse_dequant_param}.
 * </ul>
 *
 * <p>Node names follow AMCT: {@code <layer>.quant}, {@code <layer>.dequant}, {@code <layer>.dequant.param}
 * (made unique by the graph editor when taken).
 */
public final class AscendOps {
    public static final String QUANT = "AscendQuant";
    public static final String DEQUANT = "AscendDequant";

    public static final String ATTR_SCALE = "scale";
    public static final String ATTR_OFFSET = "offset";
    public static final String ATTR_DST_TYPE = "dst_type";
    public static final String ATTR_SQRT_MODE = "sqrt_mode";
    public static final String ATTR_ROUND_MODE = "round_mode";
    public static final String ATTR_DTYPE = "dtype";
    public static final String ATTR_RELU_FLAG = "relu_flag";

    /** The only destination type the deploy model uses. */
    public static final String DST_TYPE_INT8 = "INT8";
    /** Round half to even, the rounding of AMCT's numerics and of ONNX {@code Round}. */
    public static final String ROUND_MODE_ROUND = "Round";
    /** GE's {@code DT_FLOAT}: AscendDequant writes float32. */
    public static final long DTYPE_FLOAT32 = 0;

    private AscendOps() {}

    /** Whether {@code domain} is the one AMCT puts the Ascend operators in (the default domain). */
    public static boolean isAscendDomain(String domain) {
        return domain.isEmpty() || domain.equals("ai.onnx");
    }

    /**
     * AscendQuant attributes for {@code q = clamp(round_half_even(x * scale) + offset, -128, 127)}.
     *
     * @param scale the multiplier, {@code 1/scale_d}
     * @param offset {@code offset_d}
     */
    public static List<AttributeProto> quantAttributes(float scale, int offset) {
        return List.of(
                Attributes.of(ATTR_SCALE, scale),
                Attributes.of(ATTR_OFFSET, (float) offset),
                Attributes.of(ATTR_DST_TYPE, DST_TYPE_INT8),
                Attributes.of(ATTR_SQRT_MODE, 0L),
                Attributes.of(ATTR_ROUND_MODE, ROUND_MODE_ROUND));
    }

    /** AscendDequant attributes: float32 output, no square, no fused ReLU. */
    public static List<AttributeProto> dequantAttributes() {
        return List.of(
                Attributes.of(ATTR_DTYPE, DTYPE_FLOAT32),
                Attributes.of(ATTR_SQRT_MODE, 0L),
                Attributes.of(ATTR_RELU_FLAG, 0L));
    }

    /** Packs one {@code deq_scale} value: low 32 bits the float32 bits, {@code offset_w} 0. */
    public static long encodeDeqScale(float deqScale) {
        return Integer.toUnsignedLong(Float.floatToRawIntBits(deqScale));
    }

    /** The float32 in the low 32 bits of a packed {@code deq_scale}. */
    public static float decodeDeqScale(long packed) {
        return Float.intBitsToFloat((int) packed);
    }

    /** {@code offset_w} of a packed {@code deq_scale} (bits 47..40, as a signed int8). */
    public static int weightOffset(long packed) {
        return (byte) (packed >>> 40);
    }
}
