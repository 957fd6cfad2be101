package io.quantserve.engine.verify;

import java.util.List;

/**
 * Result of {@link DeployParityCheck}: per-output differences between the deploy model's integer reference and
 * the fake_quant model, and the float-exactness bound of each quantized layer.
 *
 * @param tolerance the absolute tolerance the outputs were judged against
 * @param samples feeds run through both models
 * @param outputs one entry per graph output, in the deploy model's output order
 * @param accumulation one entry per quantized layer with weights, in graph order
 */
public record ParityReport(
        double tolerance, int samples, List<OutputParity> outputs, List<AccumulationBound> accumulation) {
    public ParityReport {
        outputs = List.copyOf(outputs);
        accumulation = List.copyOf(accumulation);
    }

    /** True when every output's maximum absolute difference is within {@link #tolerance}. */
    public boolean passed() {
        return outputs.stream().allMatch(o -> o.within(tolerance));
    }

    /** The largest absolute difference over all outputs. */
    public double maxAbsDiff() {
        return outputs.stream().mapToDouble(OutputParity::maxAbsDiff).max().orElse(0);
    }

    /**
     * True when every layer's accumulation stays below {@code 2^24}, i.e. the reference reproduces INT32
     * arithmetic exactly (see {@link AccumulationBound}).
     */
    public boolean integerExact() {
        return accumulation.stream().allMatch(AccumulationBound::exact);
    }

    /** Layers whose float32 accumulation may round. */
    public List<AccumulationBound> inexactLayers() {
        return accumulation.stream().filter(b -> !b.exact()).toList();
    }
}
