package io.quantserve.engine.calibration.data;

import java.util.List;

/**
 * The outcome of checking data against a model's inputs: which data feeds which input, and how many samples there
 * are (sets, for a test-data folder).
 *
 * @param sampleCount samples every input has, at least 1
 * @param sources one entry per model input, in model input order
 */
public record DataFit(long sampleCount, List<InputSource> sources) {
    public DataFit {
        sources = List.copyOf(sources);
    }
}
