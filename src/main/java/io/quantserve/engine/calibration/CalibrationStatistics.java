package io.quantserve.engine.calibration;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The raw statistics of one calibration pass: one {@link StreamingHistogram} per observed tensor and what they were
 * computed on. Any range algorithm, its parameters and the layers to quantize can be applied to them later without a
 * new forward pass ({@link StatisticsFile} stores them). Memory: {@link #retainedBins()} counters, bounded by
 * tensors × {@link StreamingHistogram#MAX_RETAINED_BINS} whatever the number of samples.
 *
 * @param provenance the model, data and weight quantization they were computed with
 * @param tensors the observed tensors in calibration order, names unique
 */
public record CalibrationStatistics(StatisticsProvenance provenance, List<TensorStatistics> tensors) {
    public CalibrationStatistics {
        tensors = List.copyOf(tensors);
        Set<String> names = new HashSet<>();
        for (TensorStatistics t : tensors) {
            if (!names.add(t.tensor())) {
                throw new IllegalArgumentException("tensor '" + t.tensor() + "' observed twice");
            }
        }
    }

    /** The statistics of {@code tensor}, if it was observed. */
    public Optional<TensorStatistics> tensor(String tensor) {
        return tensors.stream().filter(t -> t.tensor().equals(tensor)).findFirst();
    }

    /** Counters held by all histograms: independent of the number of values seen. */
    public long retainedBins() {
        long bins = 0;
        for (TensorStatistics t : tensors) bins += t.histogram().retainedBins();
        return bins;
    }
}
