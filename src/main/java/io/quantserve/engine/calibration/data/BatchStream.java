package io.quantserve.engine.calibration.data;

import io.quantserve.engine.tensor.Tensor;
import java.util.Iterator;
import java.util.SequencedMap;

/**
 * The batches of one pass over calibration data, read lazily: each {@link #next()} reads, checks (NaN/inf) and
 * converts one batch, so memory is bounded by a batch. Maps go from model input name to tensor, in model input order,
 * ready for {@code InferenceSession.run}. Not thread-safe; close it to release the files.
 */
public interface BatchStream extends Iterator<SequencedMap<String, Tensor>>, AutoCloseable {
    /** The batches this stream delivers, known before the first one is read. */
    BatchSchedule schedule();

    /**
     * {@inheritDoc}
     *
     * @throws io.quantserve.engine.InvalidDataException when the batch holds NaN/inf (naming input and sample) or
     *     the file turns out truncated or corrupt
     */
    @Override
    SequencedMap<String, Tensor> next();

    @Override
    void close();
}
