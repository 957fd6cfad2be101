package io.quantserve.service.jobs;

/**
 * The worker no longer holds its job: the lease expired and the job was requeued or failed, or it was claimed by
 * another worker. The worker must stop and write nothing more.
 */
public final class LeaseLostException extends RuntimeException {
    public LeaseLostException(Claim claim) {
        super("worker '" + claim.owner() + "' lost the lease of job '" + claim.jobId() + "' (attempt " + claim.attempt()
                + ")");
    }
}
