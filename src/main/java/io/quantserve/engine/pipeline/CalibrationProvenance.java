package io.quantserve.engine.pipeline;

import io.quantserve.engine.calibration.StatisticsProvenance;
import io.quantserve.engine.calibration.StatisticsProvenance.WeightSetting;
import io.quantserve.engine.layers.LayerScan;
import io.quantserve.engine.layers.QuantizableLayer;
import io.quantserve.engine.quant.LayerPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What a calibration pass ran on, for {@code statistics.bin}, and how another run's weights differ from it. */
final class CalibrationProvenance {
    private CalibrationProvenance() {}

    /** The provenance of statistics computed from {@code data} with the weights of {@code plans} quantized. */
    static StatisticsProvenance of(
            String modelSha256,
            String dataSha256,
            int batchSize,
            int batchNum,
            int batches,
            LayerScan scan,
            List<LayerPlan> plans) {
        return new StatisticsProvenance(
                modelSha256, dataSha256, batchSize, batchNum, batches, weightSettings(scan, plans));
    }

    /** Every quantizable layer in graph order: quantized or not, per channel or not. */
    static List<WeightSetting> weightSettings(LayerScan scan, List<LayerPlan> plans) {
        Map<String, LayerPlan> planned = new LinkedHashMap<>();
        for (LayerPlan p : plans) planned.put(p.layer().name(), p);
        List<WeightSetting> out = new ArrayList<>();
        for (QuantizableLayer layer : scan.layers()) {
            LayerPlan p = planned.get(layer.name());
            out.add(new WeightSetting(layer.name(), p != null, p != null && p.channelWise()));
        }
        return out;
    }

    /**
     * The layers with a weight whose quantization in this run ({@code current}) differs from the calibration model
     * that produced the statistics ({@code recorded}), each as {@code name: then → now}. Layers without a weight
     * (AveragePool) do not change the calibration model and are left out.
     */
    static List<String> weightDifferences(List<WeightSetting> recorded, List<WeightSetting> current, LayerScan scan) {
        Map<String, WeightSetting> then = new LinkedHashMap<>();
        for (WeightSetting w : recorded) then.put(w.layer(), w);
        Map<String, WeightSetting> now = new LinkedHashMap<>();
        for (WeightSetting w : current) now.put(w.layer(), w);
        List<String> names = new ArrayList<>(then.keySet());
        for (String name : now.keySet()) if (!then.containsKey(name)) names.add(name);
        List<String> out = new ArrayList<>();
        for (String name : names) {
            boolean weighted = scan.layer(name).map(l -> l.type().hasWeight()).orElse(true);
            String a = describe(then.get(name));
            String b = describe(now.get(name));
            if (weighted && !a.equals(b)) out.add(name + ": " + a + " then, " + b + " now");
        }
        return out;
    }

    private static String describe(@Nullable WeightSetting w) {
        if (w == null || !w.enabled()) return "float";
        return w.channelWise() ? "INT8 per channel" : "INT8 per tensor";
    }
}
