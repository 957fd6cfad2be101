package io.quantserve.service.jobs;

import java.time.Instant;
import java.util.UUID;

/**
 * A job held by one worker for one attempt. Every later write of the worker is guarded by owner and attempt, so a
 * worker whose lease expired (and whose job was claimed again) can no longer change the job.
 *
 * @param job the job as claimed (RUNNING)
 * @param owner the worker's id
 * @param attempt the attempt number, from 1
 * @param leaseExpiresAt the lease as granted by the claim
 */
public record Claim(Job job, String owner, int attempt, Instant leaseExpiresAt) {
    public UUID jobId() {
        return job.id();
    }

    public UUID tenantId() {
        return job.tenantId();
    }

    /** Where this attempt's artefacts go: {@code {tenant}/jobs/{job}/attempts/{n}/}. */
    public String objectPrefix() {
        return job.tenantId() + "/jobs/" + job.id() + "/attempts/" + attempt + "/";
    }
}
