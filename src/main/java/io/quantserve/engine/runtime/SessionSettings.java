package io.quantserve.engine.runtime;

/**
 * How an ONNX Runtime session is built.
 *
 * @param intraOpThreads threads per operator, 0 for ONNX Runtime's default (one per core)
 * @param optimize whether graph optimisations run; the deploy parity check switches them off so that ONNX Runtime
 *     cannot fold a dequantization scale into integer-valued weights (a tensor exposed as a graph output is computed
 *     as written either way)
 * @param deterministic asks for deterministic kernels so the same inputs give the same bytes
 * @param spinWait whether ONNX Runtime's intra-op threads keep spinning after a run, waiting for the next one
 *     (its default). Right for back-to-back runs; wrong where Java work on the same cores follows every run (the
 *     calibration's histograms, the report's comparisons): the spinning threads then take those cores from it.
 */
public record SessionSettings(int intraOpThreads, boolean optimize, boolean deterministic, boolean spinWait) {
    public SessionSettings {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0, got " + intraOpThreads);
        }
    }

    /** Settings with ONNX Runtime's spin-waiting threads. */
    public SessionSettings(int intraOpThreads, boolean optimize, boolean deterministic) {
        this(intraOpThreads, optimize, deterministic, true);
    }

    public static SessionSettings defaults() {
        return new SessionSettings(0, true, true);
    }

    public static SessionSettings unoptimized() {
        return new SessionSettings(0, false, true);
    }

    /**
     * {@link #defaults()} for a session whose runs alternate with CPU-bound Java work on their outputs: its threads
     * sleep between runs instead of spinning.
     */
    public static SessionSettings interleaved() {
        return new SessionSettings(0, true, true, false);
    }
}
