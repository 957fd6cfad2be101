package io.quantserve.engine.layers;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A node the engine can quantize.
 *
 * @param name unique node name (the key of configs and records)
 * @param type operator kind
 * @param scope where the node lives: empty for the main graph, else the path of subgraph attributes, e.g.
 *     {@code If_0/then_branch}
 * @param dataInput the activation tensor that gets quantized
 * @param weight initializer holding the weight, null for AveragePool
 * @param bias initializer holding the bias (Conv/ConvTranspose input 2, Gemm C), null when absent
 * @param weightShape shape of {@code weight}, empty when there is none
 * @param group Conv/ConvTranspose {@code group} attribute, 1 otherwise
 * @param transB Gemm {@code transB} (weight stored [N, K]); false otherwise
 */
public record QuantizableLayer(
        String name,
        LayerType type,
        String scope,
        String dataInput,
        @Nullable String weight,
        @Nullable String bias,
        long[] weightShape,
        long group,
        boolean transB) {

    public QuantizableLayer {
        weightShape = weightShape.clone();
    }

    @Override
    public long[] weightShape() {
        return weightShape.clone();
    }

    /** Number of output channels (per-channel scales), derived from the weight layout of each operator. */
    public long outputChannels() {
        return switch (type) {
            case CONV -> weightShape[0];
            case CONV_TRANSPOSE -> weightShape[1] * group;
            case GEMM -> transB ? weightShape[0] : weightShape[1];
            case MATMUL -> weightShape[1];
            case AVERAGE_POOL -> 1;
        };
    }

    public boolean inMainGraph() {
        return scope.isEmpty();
    }

    @Override
    public String toString() {
        return name + "(" + type.opType() + (scope.isEmpty() ? "" : " in " + scope) + ", w="
                + Arrays.toString(weightShape) + ")";
    }
}
