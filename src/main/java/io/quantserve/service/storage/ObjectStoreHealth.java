package io.quantserve.service.storage;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health of the object store ({@code objectStore} in {@code /actuator/health}, part of the readiness group): UP when
 * a metadata request reaches the backend, DOWN with the failure otherwise.
 */
@Component("objectStoreHealthIndicator")
class ObjectStoreHealth implements HealthIndicator {
    private static final String PROBE = "health/probe";

    private final ObjectStore store;

    ObjectStoreHealth(ObjectStore store) {
        this.store = store;
    }

    @Override
    public Health health() {
        try {
            store.stat(PROBE);
            return Health.up().withDetail("store", store.kind()).build();
        } catch (RuntimeException e) {
            return Health.down()
                    .withDetail("error", String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
