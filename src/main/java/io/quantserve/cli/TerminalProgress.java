package io.quantserve.cli;

import io.quantserve.engine.calibration.ProgressListener;
import java.io.PrintWriter;

/** Prints stages and calibration batches to the error stream so standard output stays machine-readable. */
final class TerminalProgress implements ProgressListener {
    private final PrintWriter err;
    private final long start = System.nanoTime();

    TerminalProgress(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void stage(String name) {
        err.printf("[%6.1fs] %s%n", seconds(), name);
        err.flush();
    }

    @Override
    public void batch(int done, int total) {
        err.printf("[%6.1fs]   batch %d/%d%n", seconds(), done, total);
        err.flush();
    }

    private double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
