package io.quantserve.engine.quant;

import io.quantserve.engine.calibration.ActivationObserver;
import io.quantserve.engine.calibration.Calibrator;
import io.quantserve.engine.calibration.ClipRange;
import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.config.ActivationAlgorithm;
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
import java.util.Set;
import java.util.function.Function;

/**
 * Computes the factors of every planned layer, AMCT's way: weights first (ARQ), then one calibration pass over a
 * model whose weights are already quantized-dequantized, so each activation range reflects the quantized layers
 * before it. Each layer's range comes from the observer of its configured {@link ActivationAlgorithm}. Layers
 * inside {@code If}/{@code Loop}/{@code Scan} bodies are handled like main-graph layers: their weights are
 * dequantized where they are stored (the body or an enclosing graph), and their inputs observed over every
 * iteration that computes them.
 */
public final class LayerQuantizer {
    private LayerQuantizer() {}

    /**
     * Factors per layer (plan order), the clip range chosen for each layer's input (plan order), and notes for the
     * run report (layers whose input never held a value, which keep AMCT's degenerate {@code scale_d = 1}).
     */
    public record Result(Map<String, LayerFactors> factors, Map<String, ClipRange> ranges, List<String> notes) {
        public Result {
            notes = List.copyOf(notes);
        }
    }

    /**
     * @param algorithms the range algorithm of each planned layer; layers reading the same tensor with the same
     *     algorithm and the same symmetry share one observer
     */
    public static Result computeFactors(
            OnnxModel fused,
            List<LayerPlan> plans,
            Function<LayerPlan, ActivationAlgorithm> algorithms,
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
        Map<String, List<ActivationObserver>> feeds = new LinkedHashMap<>();
        Map<ObserverKey, ActivationObserver> observers = new LinkedHashMap<>();
        Map<String, ObserverKey> keys = new LinkedHashMap<>();
        for (LayerPlan p : plans) {
            String tensor = p.layer().dataInput();
            observed.computeIfAbsent(tensor, k -> new ArrayList<>())
                    .add(p.layer().name());
            ObserverKey key = new ObserverKey(tensor, algorithms.apply(p), p.asymmetric());
            keys.put(p.layer().name(), key);
            observers.computeIfAbsent(key, k -> {
                ActivationObserver o = ActivationObservers.create(k.algorithm(), k.asymmetric());
                feeds.computeIfAbsent(tensor, t -> new ArrayList<>()).add(o);
                return o;
            });
        }
        progress.stage("calibrate");
        Set<String> unseen =
                Calibrator.run(calibrationModel, observed, feeds, batches, batchNum, settings, progress, scratch);

        Map<ObserverKey, ClipRange> chosen = new LinkedHashMap<>();
        observers.forEach((key, o) -> chosen.put(key, o.range()));
        Map<String, ClipRange> ranges = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (String tensor : unseen) {
            for (String layer : observed.get(tensor)) {
                notes.add("layer '" + layer + "' saw no calibration data (input '" + tensor
                        + "' held no value in any batch, e.g. an If branch never taken): scale_d = 1, offset_d = 0"
                        + " as in AMCT");
            }
        }
        Map<String, LayerFactors> factors = new LinkedHashMap<>();
        for (LayerPlan p : plans) {
            ClipRange range = chosen.get(keys.get(p.layer().name()));
            ranges.put(p.layer().name(), range);
            ActivationParams a = ActivationFactors.compute(p.layer().name(), range, p.asymmetric());
            factors.put(
                    p.layer().name(),
                    new LayerFactors(a, weightScales.get(p.layer().name())));
        }
        return new Result(factors, ranges, notes);
    }

    /** One observer per tensor, algorithm (with its parameters) and symmetry. */
    private record ObserverKey(String tensor, ActivationAlgorithm algorithm, boolean asymmetric) {}
}
