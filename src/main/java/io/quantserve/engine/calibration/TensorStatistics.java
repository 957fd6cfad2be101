package io.quantserve.engine.calibration;

import java.util.List;

/**
 * The calibration statistics of one observed tensor.
 *
 * @param tensor the tensor's name in the fused model (a quantized layer's data input)
 * @param layers the layers that read it in the run that computed the statistics, in plan order, at least one
 * @param histogram every value the tensor took over the calibration batches ({@code count() == 0} when it never held
 *     a value, e.g. computed only in an {@code If} branch never taken)
 */
public record TensorStatistics(String tensor, List<String> layers, StreamingHistogram histogram) {
    public TensorStatistics {
        if (tensor.isEmpty()) throw new IllegalArgumentException("observed tensor without a name");
        layers = List.copyOf(layers);
        if (layers.isEmpty()) throw new IllegalArgumentException("tensor '" + tensor + "' is read by no layer");
    }
}
