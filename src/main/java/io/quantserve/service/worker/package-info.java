/**
 * The worker pool: threads that claim jobs from the {@code jobs} table ({@link io.quantserve.service.jobs.JobQueue}),
 * run the engine in a scratch folder per attempt, upload the artefacts and publish them, with heartbeats, a reaper
 * for dead workers and cancellation between calibration batches. {@code quantserve.role} (api, worker, both) decides
 * whether a process runs it and whether it serves {@code /v1}.
 */
@NullMarked
package io.quantserve.service.worker;

import org.jspecify.annotations.NullMarked;
