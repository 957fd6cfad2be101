package io.quantserve.engine.report;

import io.quantserve.engine.tensor.Tensor;
import java.util.Map;

/**
 * Sees every run of the report's replay ({@link QualityReports#build(ReportInput, java.nio.file.Path,
 * ReplayListener)}), so that checks needing the same two models' outputs on the same samples need not run them
 * again. The fake-quant model runs without graph optimisations, so its outputs are its arithmetic as written.
 */
@FunctionalInterface
public interface ReplayListener {
    /** A listener that looks at nothing. */
    ReplayListener NONE = (feed, floatOutputs, fakeQuantOutputs) -> {};

    /**
     * One run, after the report has counted it.
     *
     * @param feed the samples of the run (a whole retained batch, or a part of one)
     * @param floatOutputs the float model's outputs, every graph output among them, by name
     * @param fakeQuantOutputs the fake-quant model's outputs, every graph output among them, by name
     *     <p>The tensors are valid during the call only.
     */
    void ran(Map<String, Tensor> feed, Map<String, Tensor> floatOutputs, Map<String, Tensor> fakeQuantOutputs);
}
