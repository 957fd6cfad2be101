package io.quantserve.engine.export;

import io.quantserve.engine.quant.LayerQuantization;

/**
 * Shape of a per-channel factor so that it broadcasts over the layer's output: Conv/ConvTranspose outputs are
 * {@code [N, C, spatial…]} → {@code [C, 1, …]}; Gemm/MatMul outputs end in the channel axis → {@code [C]};
 * per-tensor factors → {@code [1]}.
 */
final class DequantShapes {
    private DequantShapes() {}

    static long[] of(LayerQuantization lq) {
        int c = lq.weightScales().length;
        return c == 1 ? new long[] {1} : channelShape(lq, c);
    }

    /** Shape of {@code c} per-output-channel values (a bias) broadcasting over the layer's output. */
    static long[] channelShape(LayerQuantization lq, int c) {
        return switch (lq.layer().type()) {
            case CONV, CONV_TRANSPOSE -> {
                long[] s = new long[lq.layer().weightShape().length - 1];
                java.util.Arrays.fill(s, 1);
                s[0] = c;
                yield s;
            }
            default -> new long[] {c};
        };
    }
}
