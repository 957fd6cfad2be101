package io.quantserve.engine.quant;

import io.quantserve.engine.calibration.ActivationObserver;
import io.quantserve.engine.calibration.Calibrator;
import io.quantserve.engine.calibration.ClipRange;
import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.onnx.GraphScopes;
import io.quantserve.engine.onnx.GraphScopes.ScopedInitializer;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.ScopedEdits;
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
 * before it. Layers inside {@code If}/{@code Loop}/{@code Scan} bodies are handled like main-graph layers: their
 * weights are dequantized where they are stored (the body or an enclosing graph), and their inputs observed over
 * every iteration that computes them.
 */
public final class LayerQuantizer {
    private LayerQuantizer() {}

    /**
     * Factors per layer (plan order), the clip range observed for each quantized input tensor, and notes for the
     * run report (layers whose input never held a value, which keep AMCT's degenerate {@code scale_d = 1}).
     */
    public record Result(Map<String, LayerFactors> factors, Map<String, ClipRange> ranges, List<String> notes) {
        public Result {
            notes = List.copyOf(notes);
        }
    }

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
        Map<String, Map<String, Tensor>> dequantizedByScope = new LinkedHashMap<>();
        for (LayerPlan p : plans) {
            if (!p.layer().type().hasWeight()) {
                weightScales.put(p.layer().name(), new float[] {1f});
                continue;
            }
            ScopedInitializer w = GraphScopes.initializer(
                            fused.proto(), p.layer().scope(), p.layer().weight())
                    .orElseThrow(() ->
                            new IllegalArgumentException("layer '" + p.layer().name() + "': no initializer '"
                                    + p.layer().weight() + "' visible from its scope"));
            WeightQuantization wq = Arq.quantize(p.layer(), fused.tensor(w.tensor()), p.channelWise());
            weightScales.put(p.layer().name(), wq.scales());
            dequantizedByScope
                    .computeIfAbsent(w.scope(), k -> new LinkedHashMap<>())
                    .put(p.layer().weight(), Arq.dequantize(p.layer(), wq));
        }
        OnnxModel calibrationModel = fused.withProto(ScopedEdits.apply(
                fused.proto(),
                List.copyOf(dequantizedByScope.keySet()),
                scope -> dequantizedByScope.get(scope.path()).forEach(scope.editor()::replaceInitializer)));

        Map<String, List<String>> observed = new LinkedHashMap<>();
        for (LayerPlan p : plans) {
            observed.computeIfAbsent(p.layer().dataInput(), k -> new ArrayList<>())
                    .add(p.layer().name());
        }
        progress.stage("calibrate");
        Calibrator.Observations seen =
                Calibrator.run(calibrationModel, observed, observers, batches, batchNum, settings, progress, scratch);

        Map<String, ClipRange> ranges = new LinkedHashMap<>();
        seen.observers().forEach((tensor, obs) -> ranges.put(tensor, obs.range()));
        List<String> notes = new ArrayList<>();
        for (String tensor : seen.unseen()) {
            for (String layer : observed.get(tensor)) {
                notes.add("layer '" + layer + "' saw no calibration data (input '" + tensor
                        + "' held no value in any batch, e.g. an If branch never taken): scale_d = 1, offset_d = 0"
                        + " as in AMCT");
            }
        }
        Map<String, LayerFactors> factors = new LinkedHashMap<>();
        for (LayerPlan p : plans) {
            ActivationParams a = ActivationFactors.compute(
                    p.layer().name(), ranges.get(p.layer().dataInput()), p.asymmetric());
            factors.put(
                    p.layer().name(),
                    new LayerFactors(a, weightScales.get(p.layer().name())));
        }
        return new Result(factors, ranges, notes);
    }
}
