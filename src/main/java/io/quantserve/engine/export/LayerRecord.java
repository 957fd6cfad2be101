package io.quantserve.engine.export;

import io.quantserve.engine.layers.LayerType;
import io.quantserve.engine.quant.ActivationParams;
import io.quantserve.engine.quant.LayerFactors;
import io.quantserve.engine.quant.LayerQuantization;
import java.util.Arrays;

/**
 * The quantization factors of one layer as AMCT's record file stores them. Values are checked by
 * {@link RecordFile} when read or written, not here, so a record edited by hand can be represented and
 * reported with its line.
 *
 * <p>A weight layer has one {@code scale_w} per output channel (or one per tensor) and as many
 * {@code offset_w}, all 0. An activation-only layer (AveragePool) has neither: AMCT's record reader refuses
 * weight factors on such a layer and assumes {@code scale_w = 1}, and so do we ({@link #weightScales()}
 * returns {@code [1]} then).
 *
 * @param scaleD activation scale {@code scale_d}: finite and &gt; 0
 * @param offsetD activation offset {@code offset_d} in [-128, 127]
 * @param scaleW weight scales as stored; empty for an activation-only layer
 * @param offsetW weight offsets as stored (all 0), as many as {@code scaleW}
 * @param tensorBalanceFactor DMQ balance factors as stored, one per input channel of a balanced layer; empty when
 *     the layer is not balanced
 */
public record LayerRecord(float scaleD, int offsetD, float[] scaleW, int[] offsetW, float[] tensorBalanceFactor) {
    private static final float[] UNIT_SCALE = {1f};

    public LayerRecord {
        scaleW = scaleW.clone();
        offsetW = offsetW.clone();
        tensorBalanceFactor = tensorBalanceFactor.clone();
    }

    /** The record of a layer without DMQ balancing. */
    public LayerRecord(float scaleD, int offsetD, float[] scaleW, int[] offsetW) {
        this(scaleD, offsetD, scaleW, offsetW, new float[0]);
    }

    /** The record AMCT would write for a quantized layer: AveragePool without weight factors. */
    public static LayerRecord of(LayerQuantization q) {
        ActivationParams a = q.activation();
        if (q.layer().type() == LayerType.AVERAGE_POOL) {
            return new LayerRecord(a.scale(), a.offset(), new float[0], new int[0], q.balanceFactors());
        }
        float[] scales = q.weightScales();
        return new LayerRecord(a.scale(), a.offset(), scales, new int[scales.length], q.balanceFactors());
    }

    @Override
    public float[] scaleW() {
        return scaleW.clone();
    }

    @Override
    public int[] offsetW() {
        return offsetW.clone();
    }

    @Override
    public float[] tensorBalanceFactor() {
        return tensorBalanceFactor.clone();
    }

    /** True when the layer is DMQ-balanced (the record holds {@code tensor_balance_factor}). */
    public boolean balanced() {
        return tensorBalanceFactor.length > 0;
    }

    /** True when the record holds no weight factors (AveragePool). */
    public boolean activationOnly() {
        return scaleW.length == 0;
    }

    /** {@code scale_w} as the exporters use it: the stored scales, or {@code [1]} for an activation-only layer. */
    public float[] weightScales() {
        return activationOnly() ? UNIT_SCALE.clone() : scaleW.clone();
    }

    /** The factors this record holds, as the quantizer uses them. */
    public LayerFactors factors() {
        return new LayerFactors(activation(), weightScales(), tensorBalanceFactor);
    }

    public ActivationParams activation() {
        return new ActivationParams(scaleD, offsetD);
    }

    /** Equal when every factor has the same bits ({@link Float#floatToIntBits} for the scales). */
    @Override
    public boolean equals(Object o) {
        return o instanceof LayerRecord r
                && Float.floatToIntBits(scaleD) == Float.floatToIntBits(r.scaleD)
                && offsetD == r.offsetD
                && Arrays.equals(scaleW, r.scaleW)
                && Arrays.equals(offsetW, r.offsetW)
                && Arrays.equals(tensorBalanceFactor, r.tensorBalanceFactor);
    }

    @Override
    public int hashCode() {
        int h = 31 * (31 * (31 * Float.hashCode(scaleD) + offsetD) + Arrays.hashCode(scaleW))
                + Arrays.hashCode(offsetW);
        return 31 * h + Arrays.hashCode(tensorBalanceFactor);
    }

    @Override
    public String toString() {
        return "LayerRecord[scale_d=" + scaleD + ", offset_d=" + offsetD + ", scale_w=" + Arrays.toString(scaleW)
                + ", offset_w=" + Arrays.toString(offsetW)
                + (balanced() ? ", tensor_balance_factor=" + Arrays.toString(tensorBalanceFactor) : "") + "]";
    }
}
