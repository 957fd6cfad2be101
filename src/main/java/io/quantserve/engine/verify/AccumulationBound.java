package io.quantserve.engine.verify;

/**
 * Whether float32 accumulation reproduces a quantized layer's INT32 accumulator exactly.
 *
 * <p>The integer reference runs each layer in float32 on integer values: activations {@code q - offset_d} with
 * magnitude at most {@code maxActivation = max(127 - offset_d, 128 + offset_d)} (128 when symmetric), INT8
 * weights of magnitude at most 127, and an INT32 bias. Every partial sum is then an integer of magnitude at
 * most {@code bound = 127 * maxActivation * terms + maxBias}; float32 represents every integer up to
 * {@code 2^24} exactly, so when {@code bound <= 2^24} the float result equals the INT32 accumulator whatever
 * the summation order. Above that the float sum may round, and a parity difference on this layer can be an
 * artefact of the reference rather than of the deploy model.
 *
 * @param layer the layer node's name
 * @param opType its operator
 * @param terms products summed per output value ({@code K}: input channels per group times kernel size, or
 *     the inner dimension of Gemm/MatMul)
 * @param offset {@code offset_d} of the layer's AscendQuant
 * @param maxBias largest {@code |bias|}, 0 without bias
 * @param bound the worst-case magnitude of the accumulator
 */
public record AccumulationBound(String layer, String opType, long terms, int offset, long maxBias, long bound) {
    /** {@code 2^24}: float32 holds every integer of at most this magnitude exactly. */
    public static final long FLOAT_EXACT_LIMIT = 1L << 24;

    /** Builds the bound from its inputs. */
    public static AccumulationBound of(String layer, String opType, long terms, int offset, long maxBias) {
        long maxActivation = Math.max(127L - offset, 128L + offset);
        long bound = Math.addExact(Math.multiplyExact(127L * maxActivation, terms), maxBias);
        return new AccumulationBound(layer, opType, terms, offset, maxBias, bound);
    }

    /** True when float32 accumulation of this layer is exact. */
    public boolean exact() {
        return bound <= FLOAT_EXACT_LIMIT;
    }
}
