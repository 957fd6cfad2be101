package io.quantserve.engine.balance;

import io.quantserve.engine.calibration.CalibrationSink;
import io.quantserve.engine.calibration.Calibrator;
import io.quantserve.engine.calibration.ChannelRangeObserver;
import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.layers.QuantizableLayer;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.engine.weights.InputChannelLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The calibration pre-pass of DMQ balancing: one streaming forward pass of the float model (AMCT's
 * {@code quantize_preprocess} inference) that records {@code max|x_j|} for every input channel of every balanced
 * layer's data input, with a {@link ChannelRangeObserver} per tensor and channel layout. Memory is O(channels),
 * independent of the number of batches and of how the samples are split into them.
 */
public final class DmqStatistics {
    private DmqStatistics() {}

    /**
     * @param model the float model (weights not quantized)
     * @param layers the layers to balance, main-graph layers with a weight
     * @param batches the calibration feeds; at most {@code batchNum} are used
     * @return layer name → {@code max|x_j|} per input channel, in the order of {@code layers}
     */
    public static Map<String, float[]> inputAbsMax(
            OnnxModel model,
            List<QuantizableLayer> layers,
            Iterator<? extends Map<String, Tensor>> batches,
            int batchNum,
            SessionSettings settings,
            ProgressListener progress,
            Path scratch) {
        Map<String, List<String>> tensors = new LinkedHashMap<>();
        Map<String, List<CalibrationSink>> feeds = new LinkedHashMap<>();
        Map<Key, ChannelRangeObserver> observers = new LinkedHashMap<>();
        Map<String, Key> keys = new LinkedHashMap<>();
        for (QuantizableLayer layer : layers) {
            if (!layer.inMainGraph()) {
                throw new IllegalArgumentException(
                        "layer '" + layer.name() + "' is inside a subgraph; DMQ statistics cover main-graph layers");
            }
            InputChannelLayout layout = new InputChannelLayout(layer);
            Key key = new Key(layer.dataInput(), layout.channels(), layout.dataAxisFromEnd());
            keys.put(layer.name(), key);
            tensors.computeIfAbsent(key.tensor(), t -> new ArrayList<>()).add(layer.name());
            observers.computeIfAbsent(key, k -> {
                ChannelRangeObserver o = new ChannelRangeObserver(k.channels(), k.axisFromEnd());
                feeds.computeIfAbsent(k.tensor(), t -> new ArrayList<>()).add(o);
                return o;
            });
        }
        Calibrator.run(model, tensors, feeds, batches, batchNum, settings, progress, scratch);
        Map<String, float[]> out = new LinkedHashMap<>();
        keys.forEach((layer, key) -> out.put(layer, observers.get(key).absMax()));
        return out;
    }

    private record Key(String tensor, int channels, int axisFromEnd) {}
}
