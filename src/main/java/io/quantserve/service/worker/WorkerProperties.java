package io.quantserve.service.worker;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of this process's role and worker pool ({@code quantserve.role}, {@code quantserve.worker.*}).
 *
 * @param role {@code api}, {@code worker} or {@code both} (default)
 * @param worker the worker pool, when the role runs one
 */
@ConfigurationProperties("quantserve")
public record WorkerProperties(
        @DefaultValue("both") ProcessRole role,
        @DefaultValue Pool worker) {

    /**
     * @param threads jobs this process runs at once (each is one engine run; ONNX Runtime adds its own threads)
     * @param pollInterval how often an idle worker looks for a job queued by another process (jobs created in this
     *     process wake it at once)
     * @param heartbeatInterval how often a running job's lease is extended; default a third of
     *     {@code quantserve.jobs.lease-duration}
     * @param reaperInterval how often this process requeues jobs of dead workers; default half the lease duration
     * @param progressInterval the most often a running job writes calibration progress
     * @param id the worker id prefix written as the lease owner; default {@code <host>-<pid>}
     */
    public record Pool(
            @DefaultValue("1") int threads,
            @DefaultValue("2s") Duration pollInterval,
            @Nullable Duration heartbeatInterval,
            @Nullable Duration reaperInterval,
            @DefaultValue("200ms") Duration progressInterval,
            @Nullable String id) {
        public Pool {
            if (threads < 1) throw new IllegalArgumentException("quantserve.worker.threads must be >= 1: " + threads);
        }

        /** The heartbeat interval for leases of {@code lease}. */
        public Duration heartbeat(Duration lease) {
            return Objects.requireNonNullElse(heartbeatInterval, lease.dividedBy(3));
        }

        /** The reaper interval for leases of {@code lease}. */
        public Duration reaper(Duration lease) {
            return Objects.requireNonNullElse(reaperInterval, lease.dividedBy(2));
        }

        /** {@link #id()}, or {@code <host>-<pid>}. */
        public String idOrDefault() {
            if (id != null && !id.isBlank()) return id;
            String host = System.getenv("HOSTNAME");
            return (host == null || host.isBlank() ? "worker" : host) + "-"
                    + ProcessHandle.current().pid();
        }
    }
}
