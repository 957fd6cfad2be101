package io.quantserve.engine.pipeline;

import io.quantserve.engine.config.QuantConfig;
import io.quantserve.engine.layers.LayerType;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.quant.LayerFactors;
import io.quantserve.engine.quant.LayerQuantization;
import io.quantserve.engine.quant.LayerQuantizations;
import java.util.ArrayList;
import java.util.List;

/**
 * The quantized layers as the Ascend deploy model gets them. With {@code matmul_channel_wise: portable} the
 * fake-quant and INT8 models keep per-column Gemm/MatMul weight scales, but the deploy model follows AMCT's
 * per-tensor rule: such a layer is requantized with one {@code scale_w}, the largest of its columns' (so every column
 * still fits INT8), and its INT32 bias with it. Every other layer is passed through unchanged.
 */
final class DeployLayers {
    private DeployLayers() {}

    /** The deploy model's layers; {@code layers} itself when none changes. */
    static List<LayerQuantization> of(OnnxModel fused, QuantConfig config, List<LayerQuantization> layers) {
        if (config.matMulChannelWise().inDeployModel()) return layers;
        List<LayerQuantization> out = new ArrayList<>(layers.size());
        boolean changed = false;
        for (LayerQuantization q : layers) {
            LayerType type = q.layer().type();
            if (!q.channelWise() || (type != LayerType.GEMM && type != LayerType.MATMUL)) {
                out.add(q);
                continue;
            }
            float max = 0;
            for (float s : q.weightScales()) max = Math.max(max, s);
            LayerFactors perTensor = new LayerFactors(q.activation(), new float[] {max}, q.balanceFactors());
            String name = q.layer().name();
            out.add(LayerQuantizations.build(fused, q.layer(), perTensor, config.biasOverflowPolicy())
                    .orElseThrow(() -> new IllegalStateException(
                            "layer '" + name + "': a bias that fits per column fits the larger per-tensor scale")));
            changed = true;
        }
        return changed ? List.copyOf(out) : layers;
    }
}
