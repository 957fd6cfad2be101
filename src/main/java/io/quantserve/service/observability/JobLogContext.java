package io.quantserve.service.observability;

import java.util.UUID;
import org.slf4j.MDC;

/**
 * The job an attempt's thread works on, in the SLF4J MDC for as long as it is open: every log line of the attempt
 * carries {@value #JOB_ID}, {@value #TENANT_ID} and {@value #ATTEMPT} (as fields of the JSON formats, and the job id
 * and attempt in the human-readable console pattern). Opened and closed on the same thread.
 */
public final class JobLogContext implements AutoCloseable {
    /** MDC key of the job's id. */
    public static final String JOB_ID = "job_id";
    /** MDC key of the job's tenant id. */
    public static final String TENANT_ID = "tenant_id";
    /** MDC key of the attempt number, from 1. */
    public static final String ATTEMPT = "attempt";

    private JobLogContext() {}

    /** Puts a job, its tenant and the attempt into the current thread's MDC until {@link #close()}. */
    public static JobLogContext open(UUID job, UUID tenant, int attempt) {
        MDC.put(JOB_ID, job.toString());
        MDC.put(TENANT_ID, tenant.toString());
        MDC.put(ATTEMPT, Integer.toString(attempt));
        return new JobLogContext();
    }

    /** Removes the job's keys from the current thread's MDC. */
    @Override
    public void close() {
        MDC.remove(JOB_ID);
        MDC.remove(TENANT_ID);
        MDC.remove(ATTEMPT);
    }
}
