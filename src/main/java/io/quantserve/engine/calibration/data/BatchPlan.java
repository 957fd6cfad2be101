package io.quantserve.engine.calibration.data;

import io.quantserve.engine.InvalidConfigException;

/**
 * How many samples to feed at once and how many batches to run (AMCT's {@code batch_num}).
 *
 * @param batchSize samples per batch, at least 1; ignored by test-data folders, where each set is one batch
 * @param batchNum batches to run, at least 1; fewer run when the data holds fewer samples (see {@link BatchSchedule})
 */
public record BatchPlan(int batchSize, int batchNum) {
    public BatchPlan {
        if (batchSize < 1) {
            throw new InvalidConfigException("batch size must be at least 1, got " + batchSize);
        }
        if (batchNum < 1) {
            throw new InvalidConfigException("batch_num must be at least 1, got " + batchNum);
        }
    }
}
