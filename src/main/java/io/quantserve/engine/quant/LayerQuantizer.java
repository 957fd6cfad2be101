package io.quantserve.engine.quant;

import io.quantserve.engine.calibration.ActivationObserver;
import io.quantserve.engine.calibration.Calibrator;
import io.quantserve.engine.calibration.ClipRange;
import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.onnx.GraphEditor;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.engine.weights.Arq;
import io.quantserve.engine.weights.WeightQuantization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Computes the factors of every planned layer, AMCT's way: weights first (ARQ), then one calibration pass over a
 * model whose weights are already quantized-dequantized, so each activation range reflects the quantized layers
 * before it.
 */
public final class LayerQuantizer {
    private LayerQuantizer() {}

    /** Factors per layer (plan order) and the clip range observed for each quantized input tensor. */
    public record Result(Map<String, LayerFactors> factors, Map<String, ClipRange> ranges) {}

    public static Result computeFactors(
            OnnxModel fused,
            List<LayerPlan> plans,
            Supplier<ActivationObserver> observers,
            Iterator<? extends Map<String, Tensor>> batches,
            int batchNum,
            SessionSettings settings,
            ProgressListener progress,
            Path scratch) {
        Map<String, float[]> weightScales = new LinkedHashMap<>();
        GraphEditor calibrationGraph = new GraphEditor(fused.proto().getGraph());
        for (LayerPlan p : plans) {
            if (!p.layer().type().hasWeight()) {
                weightScales.put(p.layer().name(), new float[] {1f});
                continue;
            }
            TensorProto w = calibrationGraph.initializer(p.layer().weight()).orElseThrow();
            WeightQuantization wq = Arq.quantize(p.layer(), fused.tensor(w), p.channelWise());
            weightScales.put(p.layer().name(), wq.scales());
            calibrationGraph.replaceInitializer(p.layer().weight(), Arq.dequantize(p.layer(), wq));
        }
        OnnxModel calibrationModel = fused.withProto(
                fused.proto().toBuilder().setGraph(calibrationGraph.build()).build());

        Map<String, List<String>> observed = new LinkedHashMap<>();
        for (LayerPlan p : plans) {
            observed.computeIfAbsent(p.layer().dataInput(), k -> new ArrayList<>())
                    .add(p.layer().name());
        }
        progress.stage("calibrate");
        Map<String, ActivationObserver> seen =
                Calibrator.run(calibrationModel, observed, observers, batches, batchNum, settings, progress, scratch);

        Map<String, ClipRange> ranges = new LinkedHashMap<>();
        seen.forEach((tensor, obs) -> ranges.put(tensor, obs.range()));
        Map<String, LayerFactors> factors = new LinkedHashMap<>();
        for (LayerPlan p : plans) {
            ActivationParams a = ActivationFactors.compute(
                    p.layer().name(), ranges.get(p.layer().dataInput()), p.asymmetric());
            factors.put(
                    p.layer().name(),
                    new LayerFactors(a, weightScales.get(p.layer().name())));
        }
        return new Result(factors, ranges);
    }
}
