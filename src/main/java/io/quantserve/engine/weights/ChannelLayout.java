package io.quantserve.engine.weights;

import io.quantserve.engine.layers.QuantizableLayer;

/**
 * Maps a flat (row-major) weight element index to the output channel it contributes to, per operator layout:
 * Conv {@code [C_out, C_in/g, k…]} → axis 0; ConvTranspose {@code [C_in, C_out/g, k…]} → group-aware (input channel
 * {@code ci} belongs to group {@code ci / (C_in/g)}, whose outputs are {@code g·C_out/g + j}); Gemm {@code [K, N]}
 * (or {@code [N, K]} with transB) and MatMul {@code [K, N]} → the N axis.
 */
public final class ChannelLayout {
    private final QuantizableLayer layer;
    private final long[] shape;
    private final long channels;
    private final long inner;

    public ChannelLayout(QuantizableLayer layer) {
        this.layer = layer;
        this.shape = layer.weightShape();
        this.channels = layer.outputChannels();
        long innerSize = 1;
        for (int i = 2; i < shape.length; i++) innerSize *= shape[i];
        this.inner = innerSize;
    }

    public int channels() {
        return Math.toIntExact(channels);
    }

    public int channelOf(long index) {
        return switch (layer.type()) {
            case CONV -> (int) (index / (shape[1] * inner));
            case CONV_TRANSPOSE -> {
                long perGroupOut = shape[1];
                long inPerGroup = shape[0] / layer.group();
                long ci = index / (shape[1] * inner);
                long j = (index / inner) % shape[1];
                yield (int) ((ci / inPerGroup) * perGroupOut + j);
            }
            case GEMM -> (int) (layer.transB() ? index / shape[1] : index % shape[1]);
            case MATMUL -> (int) (index % shape[1]);
            case AVERAGE_POOL -> 0;
        };
    }
}
