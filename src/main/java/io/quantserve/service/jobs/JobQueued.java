package io.quantserve.service.jobs;

import java.util.UUID;

/** A job was queued (created, or requeued by the reaper); workers in this process may claim it now. */
public record JobQueued(UUID jobId) {}
