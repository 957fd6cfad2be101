package io.quantserve.engine.report;

import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.quant.LayerQuantization;
import io.quantserve.engine.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * What a report is made from.
 *
 * @param model the model's base name, shown as the title
 * @param mode {@code quantize} or {@code save}
 * @param activationAlgorithm the range method that produced the activation factors
 * @param floatModel the prepared (fused) float model the factors belong to
 * @param fakeQuantModel the fake-quant model exported from {@code layers}
 * @param layers the quantized layers in graph order
 * @param floatLayers quantizable layers left in float, each with its reason
 * @param feeds the retained calibration batches replayed for the activation metrics; empty when the run had no
 *     data, and the activation metrics are then reported as not measured
 * @param notes the run's notes, copied into the report
 */
public record ReportInput(
        String model,
        String mode,
        String activationAlgorithm,
        OnnxModel floatModel,
        OnnxModel fakeQuantModel,
        List<LayerQuantization> layers,
        List<String> floatLayers,
        List<Map<String, Tensor>> feeds,
        List<String> notes) {
    public ReportInput {
        layers = List.copyOf(layers);
        floatLayers = List.copyOf(floatLayers);
        feeds = List.copyOf(feeds);
        notes = List.copyOf(notes);
    }
}
