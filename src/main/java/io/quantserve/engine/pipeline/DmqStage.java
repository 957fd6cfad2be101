package io.quantserve.engine.pipeline;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.balance.DmqBalancer;
import io.quantserve.engine.balance.DmqFactors;
import io.quantserve.engine.balance.DmqStatistics;
import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.calibration.data.BatchPlan;
import io.quantserve.engine.calibration.data.BatchStream;
import io.quantserve.engine.calibration.data.CalibrationData;
import io.quantserve.engine.config.QuantConfig;
import io.quantserve.engine.export.LayerRecord;
import io.quantserve.engine.layers.LayerFinder;
import io.quantserve.engine.layers.QuantizableLayer;
import io.quantserve.engine.onnx.GraphScopes;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.quant.LayerFactors;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.runtime.ValueSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DMQ balancing stage, between fusion and planning: computes the balance factors of the layers whose config sets
 * {@code dmq_balancer_param} (one calibration pre-pass over the float model) or takes them from a record, and
 * rewrites the fused model with them. Everything after it (ARQ, calibration, export, the prepared-model check)
 * works on the balanced float model, so the record's {@code scale_d}/{@code scale_w} belong to the balanced layers
 * and its {@code tensor_balance_factor} rebuilds them on a re-export.
 */
final class DmqStage {
    private DmqStage() {}

    /** The balanced model (with its layer scan) and the factors applied, layer name → one per input channel. */
    record Balanced(QuantizationPipeline.Fused fused, Map<String, float[]> factors) {}

    /** Runs the pre-pass and balances; the fused model as it is when no enabled layer sets the parameter. */
    static Balanced calibrate(
            QuantizationPipeline.Fused fused,
            QuantConfig config,
            CalibrationData data,
            List<ValueSpec> inputs,
            BatchPlan plan,
            ProgressListener progress,
            Path scratch,
            List<String> notes) {
        List<QuantizableLayer> layers = new ArrayList<>();
        for (String name : config.balancedLayers()) {
            fused.scan().layer(name).ifPresent(layers::add);
        }
        if (layers.isEmpty()) return new Balanced(fused, Map.of());
        progress.stage("balance");
        Map<String, float[]> maxima;
        try (BatchStream stream = data.batches(inputs, plan)) {
            maxima = DmqStatistics.inputAbsMax(
                    fused.model(), layers, stream, plan.batchNum(), SessionSettings.interleaved(), progress, scratch);
        }
        Map<String, float[]> factors = new LinkedHashMap<>();
        for (QuantizableLayer layer : layers) {
            double alpha = config.layer(layer.name()).orElseThrow().dmqBalancerParam();
            var weight = GraphScopes.initializer(fused.model().proto(), layer.scope(), layer.weight())
                    .orElseThrow()
                    .tensor();
            factors.put(
                    layer.name(),
                    DmqFactors.compute(layer, fused.model().tensor(weight), maxima.get(layer.name()), alpha));
        }
        return apply(fused, factors, notes);
    }

    /**
     * Takes the factors of a record: every enabled layer's {@code tensor_balance_factor}. A layer whose config sets
     * {@code dmq_balancer_param} must have them (its factors came from a calibration this record belongs to).
     */
    static Balanced fromRecord(
            QuantizationPipeline.Fused fused,
            QuantConfig config,
            Map<String, LayerRecord> record,
            String recordName,
            List<String> notes) {
        Map<String, float[]> factors = new LinkedHashMap<>();
        for (String name : config.enabledLayers()) {
            LayerRecord r = record.get(name);
            boolean configured = config.layer(name).orElseThrow().dmqBalancerParam() != null;
            if (r != null && r.balanced()) {
                factors.put(name, r.tensorBalanceFactor());
                if (!configured) {
                    notes.add("layer '" + name + "': the record's tensor_balance_factor is applied although the config"
                            + " sets no dmq_balancer_param (the record's factors were calibrated on the balanced"
                            + " layer)");
                }
            } else if (configured && r != null) {
                throw new InvalidConfigException("record '" + recordName + "' has no tensor_balance_factor for layer '"
                        + name + "', whose config sets dmq_balancer_param; quantize again to compute them, or remove"
                        + " the key from the config");
            }
        }
        return apply(fused, factors, notes);
    }

    /** The computed factors merged into the per-layer factors (layers without balancing keep theirs). */
    static Map<String, LayerFactors> withBalance(Map<String, LayerFactors> factors, Map<String, float[]> balance) {
        if (balance.isEmpty()) return factors;
        Map<String, LayerFactors> out = new LinkedHashMap<>();
        factors.forEach((name, f) -> {
            float[] b = balance.get(name);
            out.put(name, b == null ? f : f.withBalanceFactors(b));
        });
        return out;
    }

    private static Balanced apply(QuantizationPipeline.Fused fused, Map<String, float[]> factors, List<String> notes) {
        if (factors.isEmpty()) return new Balanced(fused, Map.of());
        OnnxModel balanced = DmqBalancer.apply(fused.model(), factors);
        float lo = Float.POSITIVE_INFINITY;
        float hi = 0;
        for (float[] f : factors.values()) {
            for (float v : f) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        notes.add("DMQ balancing: " + factors.size() + " layer(s) balanced, tensor_balance_factor in [" + lo + ", " + hi
                + "]");
        return new Balanced(
                new QuantizationPipeline.Fused(balanced, LayerFinder.scan(balanced.proto())),
                Collections.unmodifiableMap(new LinkedHashMap<>(factors)));
    }
}
