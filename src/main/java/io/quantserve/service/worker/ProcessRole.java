package io.quantserve.service.worker;

/** What one process of the service does; chosen by {@code quantserve.role}. */
public enum ProcessRole {
    /** Serves the REST API and runs no worker: scale it with request load. */
    API,
    /** Runs the worker pool; {@code /v1} answers 404 (health stays up): scale it with the queue. */
    WORKER,
    /** Both, the default: one process is the whole product. */
    BOTH;

    /** True when this process runs the worker pool. */
    public boolean runsWorkers() {
        return this != API;
    }

    /** True when this process serves {@code /v1}. */
    public boolean servesApi() {
        return this != WORKER;
    }
}
