package io.quantserve.engine.runtime;

/**
 * How an ONNX Runtime session is built.
 *
 * @param intraOpThreads threads per operator, 0 for ONNX Runtime's default (one per core)
 * @param optimize whether graph optimisations run; calibration switches them off so exposed tensors are the
 *     ones of the written graph, not of a fused one
 * @param deterministic asks for deterministic kernels so the same inputs give the same bytes
 */
public record SessionSettings(int intraOpThreads, boolean optimize, boolean deterministic) {
    public SessionSettings {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0, got " + intraOpThreads);
        }
    }

    public static SessionSettings defaults() {
        return new SessionSettings(0, true, true);
    }

    public static SessionSettings unoptimized() {
        return new SessionSettings(0, false, true);
    }
}
