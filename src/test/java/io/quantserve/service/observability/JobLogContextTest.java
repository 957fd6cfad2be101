package io.quantserve.service.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class JobLogContextTest {

    @Test
    void holdsTheJobWhileOpenAndLeavesOtherKeysAlone() {
        UUID job = UUID.randomUUID();
        UUID tenant = UUID.randomUUID();
        MDC.put("request", "r-1");
        try {
            try (JobLogContext context = JobLogContext.open(job, tenant, 2)) {
                assertThat(MDC.get(JobLogContext.JOB_ID)).isEqualTo(job.toString());
                assertThat(MDC.get(JobLogContext.TENANT_ID)).isEqualTo(tenant.toString());
                assertThat(MDC.get(JobLogContext.ATTEMPT)).isEqualTo("2");
            }
            assertThat(MDC.get(JobLogContext.JOB_ID)).isNull();
            assertThat(MDC.get(JobLogContext.TENANT_ID)).isNull();
            assertThat(MDC.get(JobLogContext.ATTEMPT)).isNull();
            assertThat(MDC.get("request")).isEqualTo("r-1");
        } finally {
            MDC.remove("request");
        }
    }
}
