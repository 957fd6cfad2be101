package io.quantserve.engine.quant;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.calibration.Calibrator;
import io.quantserve.engine.calibration.ClipRange;
import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.calibration.StreamingHistogram;
import io.quantserve.engine.calibration.TensorStatistics;
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
import java.util.function.Function;

/**
 * Computes the factors of every planned layer, AMCT's way: weights first (ARQ), then one calibration pass over a
 * model whose weights are already quantized-dequantized, so each activation range reflects the quantized layers
 * before it. The pass fills one {@link StreamingHistogram} per observed tensor; each layer's range is then read from
 * its input's histogram by the observer of its configured {@link ActivationAlgorithm}, so layers sharing an input
 * share one histogram whatever their algorithms. {@link #fromStatistics} applies the same last step to stored
 * statistics without a forward pass. Layers inside {@code If}/{@code Loop}/{@code Scan} bodies are handled like
 * main-graph layers: their weights are dequantized where they are stored (the body or an enclosing graph), and their
 * inputs observed over every iteration that computes them.
 */
public final class LayerQuantizer {
    private LayerQuantizer() {}

    /**
     * Factors per layer (plan order), the clip range chosen for each layer's input (plan order), notes for the run
     * report (layers whose input never held a value, which keep AMCT's degenerate {@code scale_d = 1}), and the
     * statistics the ranges were read from (every observed tensor, in calibration order).
     */
    public record Result(
            Map<String, LayerFactors> factors,
            Map<String, ClipRange> ranges,
            List<String> notes,
            List<TensorStatistics> statistics) {
        public Result {
            notes = List.copyOf(notes);
            statistics = List.copyOf(statistics);
        }
    }

    /**
     * Quantizes the weights, runs the calibration pass and reads each layer's range from its input's statistics.
     *
     * @param algorithms the range algorithm of each planned layer
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
            ScopedInitializer w = weightOf(fused, p);
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
        List<TensorStatistics> statistics =
                Calibrator.run(calibrationModel, observed, batches, batchNum, settings, progress, scratch);
        return readRanges(plans, algorithms, statistics, weightScales);
    }

    /**
     * The factors from stored statistics, without a forward pass: weights quantized from {@code fused} (ARQ), each
     * layer's range read from its input's stored histogram. The statistics were observed with the upstream weights
     * of the run that computed them; the caller says so when this run quantizes other layers.
     *
     * @param statistics must hold the data input of every planned layer
     * @throws InvalidConfigException naming the layer and tensor when a planned layer's input was not observed
     */
    public static Result fromStatistics(
            OnnxModel fused,
            List<LayerPlan> plans,
            Function<LayerPlan, ActivationAlgorithm> algorithms,
            List<TensorStatistics> statistics) {
        Map<String, float[]> weightScales = new LinkedHashMap<>();
        for (LayerPlan p : plans) {
            weightScales.put(
                    p.layer().name(),
                    p.layer().type().hasWeight()
                            ? Arq.quantize(
                                            p.layer(),
                                            fused.tensor(weightOf(fused, p).tensor()),
                                            p.channelWise())
                                    .scales()
                            : new float[] {1f});
        }
        return readRanges(plans, algorithms, statistics, weightScales);
    }

    private static Result readRanges(
            List<LayerPlan> plans,
            Function<LayerPlan, ActivationAlgorithm> algorithms,
            List<TensorStatistics> statistics,
            Map<String, float[]> weightScales) {
        Map<String, TensorStatistics> byTensor = new LinkedHashMap<>();
        for (TensorStatistics t : statistics) byTensor.put(t.tensor(), t);
        Map<ObserverKey, ClipRange> chosen = new LinkedHashMap<>();
        Map<String, ClipRange> ranges = new LinkedHashMap<>();
        Map<String, LayerFactors> factors = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (LayerPlan p : plans) {
            String tensor = p.layer().dataInput();
            TensorStatistics t = byTensor.get(tensor);
            if (t == null) {
                throw new InvalidConfigException("layer '" + p.layer().name() + "': its input '" + tensor
                        + "' has no calibration statistics (it was not observed when they were computed)");
            }
            if (t.histogram().count() == 0) {
                notes.add("layer '" + p.layer().name() + "' saw no calibration data (input '" + tensor
                        + "' held no value in any batch, e.g. an If branch never taken): scale_d = 1, offset_d = 0"
                        + " as in AMCT");
            }
            ObserverKey key = new ObserverKey(tensor, algorithms.apply(p), p.asymmetric());
            ClipRange range = chosen.computeIfAbsent(
                    key,
                    k -> ActivationObservers.create(k.algorithm(), k.asymmetric())
                            .range(t.histogram()));
            ranges.put(p.layer().name(), range);
            ActivationParams a = ActivationFactors.compute(p.layer().name(), range, p.asymmetric());
            factors.put(
                    p.layer().name(),
                    new LayerFactors(a, weightScales.get(p.layer().name())));
        }
        return new Result(factors, ranges, notes, statistics);
    }

    private static ScopedInitializer weightOf(OnnxModel fused, LayerPlan p) {
        return GraphScopes.initializer(
                        fused.proto(), p.layer().scope(), p.layer().weight())
                .orElseThrow(() -> new IllegalArgumentException("layer '"
                        + p.layer().name() + "': no initializer '" + p.layer().weight() + "' visible from its scope"));
    }

    /** One range per tensor, algorithm (with its parameters) and symmetry. */
    private record ObserverKey(String tensor, ActivationAlgorithm algorithm, boolean asymmetric) {}
}
