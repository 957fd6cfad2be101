/**
 * What operators watch: the Prometheus meters of the job queue, the workers and the object store
 * ({@code quantserve_*} on {@code /actuator/prometheus}) and the job fields of the log context (MDC). Health
 * indicators live next to what they check ({@code storage.ObjectStoreHealth}, Spring Boot's database indicator).
 */
@NullMarked
package io.quantserve.service.observability;

import org.jspecify.annotations.NullMarked;
