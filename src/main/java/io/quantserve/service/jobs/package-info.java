/**
 * Quantization jobs: the {@code jobs} table as one state machine ({@link io.quantserve.service.jobs.JobState}), the
 * API side ({@link io.quantserve.service.jobs.JobCatalog}: create with idempotency keys, read, list, cancel,
 * preflight), the worker side ({@link io.quantserve.service.jobs.JobQueue}: one-statement claim with
 * {@code FOR UPDATE SKIP LOCKED}, leases, heartbeats, the reaper, atomic publication) and the published artefacts
 * ({@link io.quantserve.service.jobs.ArtifactCatalog}). The HTTP adapter lives in {@code jobs.web}; the worker pool
 * that runs the engine lives in {@code worker}.
 */
@NullMarked
package io.quantserve.service.jobs;

import org.jspecify.annotations.NullMarked;
