package io.quantserve.service.worker;

import java.util.UUID;

/** Thrown out of the engine's progress callbacks when a cancel was requested: the run stops between two batches. */
final class JobCancelledException extends RuntimeException {
    JobCancelledException(UUID job, String stage) {
        super("job '" + job + "' was cancelled during stage '" + stage + "'");
    }
}
