package io.quantserve.engine.calibration.data;

import io.quantserve.engine.InvalidDataException;

/**
 * The batches a {@link BatchStream} will actually deliver: the samples used are the first {@code usedSamples} in
 * dataset order, cut into {@code batches} batches of {@code batchSize} (the last one smaller when the data runs
 * out, unless the model fixes its batch dimension, in which case a partial batch is left out). For a test-data
 * folder a sample is a whole set and {@code batchSize} is 1.
 *
 * @param batchSize samples per batch
 * @param requestedBatches the {@code batch_num} asked for
 * @param availableSamples samples the data holds
 * @param batches batches that will run, between 1 and {@code requestedBatches}
 * @param usedSamples samples those batches hold
 */
public record BatchSchedule(int batchSize, int requestedBatches, long availableSamples, int batches, long usedSamples) {

    /**
     * Plans {@code plan} over {@code availableSamples}.
     *
     * @param fullBatchesOnly the model's batch dimension is fixed, so a partial last batch cannot be fed
     * @throws InvalidDataException when not even one batch can be formed
     */
    static BatchSchedule of(long availableSamples, BatchPlan plan, boolean fullBatchesOnly, String what) {
        long size = plan.batchSize();
        long wanted = size * plan.batchNum();
        long used = Math.min(wanted, fullBatchesOnly ? availableSamples / size * size : availableSamples);
        if (used == 0) {
            throw new InvalidDataException(
                    availableSamples == 0
                            ? what + " holds no samples"
                            : what + " holds " + availableSamples + " samples, fewer than one batch of " + size
                                    + " that the model's fixed batch dimension needs");
        }
        int batches = (int) ((used + size - 1) / size);
        return new BatchSchedule(plan.batchSize(), plan.batchNum(), availableSamples, batches, used);
    }

    /** True when fewer samples run than {@code batchSize × batch_num}. */
    public boolean isShort() {
        return usedSamples < (long) batchSize * requestedBatches;
    }

    /** Samples in the last batch. */
    public int lastBatchSize() {
        return (int) (usedSamples - (long) (batches - 1) * batchSize);
    }

    /** One line for logs and reports, saying plainly when the data fell short of the plan. */
    public String summary() {
        String run = batches + (batches == 1 ? " batch" : " batches") + " of " + batchSize
                + (lastBatchSize() == batchSize ? "" : " (last " + lastBatchSize() + ")") + ", " + usedSamples
                + " samples";
        if (!isShort()) {
            return run;
        }
        return "asked for " + requestedBatches + " batches of " + batchSize + " (" + (long) batchSize * requestedBatches
                + " samples) but the data holds " + availableSamples + ": running " + run;
    }
}
