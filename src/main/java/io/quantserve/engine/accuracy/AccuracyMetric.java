package io.quantserve.engine.accuracy;

import io.quantserve.engine.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A metric of a model over an evaluation set, larger is better. The evaluation streams the set batch by batch in file
 * order; a {@link Scorer} accumulates one model's pass. {@link BuiltInMetric} has the generic ones (top-1 against
 * labels, top-1 agreement, cosine and SQNR against the float model); a caller with a task metric (CTC text
 * recognition, detection matching, …) implements this interface.
 */
public interface AccuracyMetric {
    /** A short name for results and messages, e.g. {@code top1}. */
    String name();

    /** The unit of {@link Scorer#value()} and of the target's drop: {@code %}, {@code dB} or empty. */
    String unit();

    /**
     * The model outputs the metric reads; only these are computed.
     *
     * @param modelOutputs the model's output names, in model order
     * @throws io.quantserve.engine.QuantServeException when an output the metric needs is missing
     */
    List<String> outputs(List<String> modelOutputs);

    /**
     * Whether a {@link Scorer} needs the float model's outputs of the same batch. The float model's outputs are then
     * computed once, kept in a scratch file, and fed back with every candidate's batch; for the float model itself
     * they are its own outputs.
     */
    boolean comparesWithFloat();

    /** A fresh accumulator for one pass of one model over the evaluation set. */
    Scorer scorer();

    /** Accumulates one model's pass, batch by batch. */
    interface Scorer {
        /**
         * @param firstSample position of the batch's first sample in the evaluation set, from 0
         * @param outputs the evaluated model's outputs named by {@link #outputs}
         * @param floatOutputs the float model's outputs of the same batch when {@link #comparesWithFloat()}, else
         *     empty
         */
        void add(long firstSample, Map<String, Tensor> outputs, Map<String, Tensor> floatOutputs);

        /**
         * The metric over every batch added, in {@link #unit()}; may be {@code +∞} (e.g. the SQNR of identical
         * outputs).
         *
         * @throws io.quantserve.engine.QuantServeException when nothing was added or the outputs do not suit the
         *     metric
         */
        double value();
    }
}
