package io.quantserve.service.worker;

import java.util.UUID;

/**
 * Thrown out of the engine's progress callbacks when this process is shutting down: the run stops between two batches
 * or stages and the job goes back to the queue for another process.
 */
final class JobHandedBackException extends RuntimeException {
    JobHandedBackException(UUID job, String stage) {
        super("job '" + job + "' handed back during stage '" + stage + "': this process is shutting down");
    }
}
