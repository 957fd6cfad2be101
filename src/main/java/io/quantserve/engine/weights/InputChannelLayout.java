package io.quantserve.engine.weights;

import io.quantserve.engine.layers.LayerType;
import io.quantserve.engine.layers.QuantizableLayer;

/**
 * Where a layer's input channels are, in its weight and in its data input: the layout DMQ balancing scales along.
 * Multiplying data input channel {@code j} by {@code 1/s_j} and every weight element that input channel meets by
 * {@code s_j} leaves the layer's output unchanged, for every operator with a weight:
 *
 * <ul>
 *   <li>Conv, weight {@code [C_out, C_in/g, k…]}, data {@code [N, C_in, spatial…]}: input channel {@code j} is
 *       column {@code j mod (C_in/g)} of the output channels of group {@code j / (C_in/g)} (ordinary convolution:
 *       one group; depthwise: {@code g = C_in}, so channel {@code j} meets only filter {@code j}); zero padding
 *       stays zero under scaling;
 *   <li>ConvTranspose, weight {@code [C_in, C_out/g, k…]}: axis 0;
 *   <li>Gemm, weight {@code [K, N]} (axis 0) or {@code [N, K]} with {@code transB} (axis 1), and MatMul {@code [K,
 *       N]} (axis 0): the data input's last axis.
 * </ul>
 */
public final class InputChannelLayout {
    private final QuantizableLayer layer;
    private final long[] shape;
    private final long inner;

    /** @throws IllegalArgumentException for a layer without a weight (AveragePool) */
    public InputChannelLayout(QuantizableLayer layer) {
        if (!layer.type().hasWeight()) {
            throw new IllegalArgumentException("layer '" + layer.name() + "' ("
                    + layer.type().opType() + ") has no weight, so it has no input-channel layout");
        }
        this.layer = layer;
        this.shape = layer.weightShape();
        long innerSize = 1;
        for (int i = 2; i < shape.length; i++) innerSize *= shape[i];
        this.inner = innerSize;
    }

    /** Number of input channels (the data input's channel axis length). */
    public int channels() {
        long c = switch (layer.type()) {
            case CONV -> shape[1] * layer.group();
            case CONV_TRANSPOSE -> shape[0];
            case GEMM -> layer.transB() ? shape[1] : shape[0];
            case MATMUL -> shape[0];
            case AVERAGE_POOL -> throw new IllegalStateException("AveragePool has no weight");
        };
        return Math.toIntExact(c);
    }

    /** The input channel that weight element {@code index} (row-major) multiplies. */
    public int channelOf(long index) {
        return switch (layer.type()) {
            case CONV -> {
                long perGroupIn = shape[1];
                long out = index / (perGroupIn * inner);
                long group = out / (shape[0] / layer.group());
                yield (int) (group * perGroupIn + (index / inner) % perGroupIn);
            }
            case CONV_TRANSPOSE -> (int) (index / (shape[1] * inner));
            case GEMM -> (int) (layer.transB() ? index % shape[1] : index / shape[1]);
            case MATMUL -> (int) (index / shape[1]);
            case AVERAGE_POOL -> throw new IllegalStateException("AveragePool has no weight");
        };
    }

    /**
     * The data input's channel axis counted from the end ({@code -1} is the last axis): {@code -(rank − 1)} for a
     * convolution with a rank-{@code rank} weight (the data is {@code [N, C, spatial…]}), {@code -1} for Gemm and
     * MatMul. Counting from the end also holds for MatMul inputs with several leading axes.
     */
    public int dataAxisFromEnd() {
        return isConvolution() ? -(shape.length - 1) : -1;
    }

    /**
     * The shape of a per-input-channel factor that broadcasts over the data input: {@code [C, 1, …]} (one 1 per
     * spatial axis) for convolutions, {@code [C]} for Gemm and MatMul.
     */
    public long[] factorShape() {
        int rank = -dataAxisFromEnd();
        long[] s = new long[rank];
        java.util.Arrays.fill(s, 1);
        s[0] = channels();
        return s;
    }

    private boolean isConvolution() {
        return layer.type() == LayerType.CONV || layer.type() == LayerType.CONV_TRANSPOSE;
    }
}
