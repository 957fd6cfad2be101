package io.quantserve.cli;

/** Placeholder entry replaced by the picocli command tree. */
public final class QuantServeCli {
    private QuantServeCli() {}

    public static void main(String[] args) {
        System.out.println(io.quantserve.engine.runtime.InferenceSession.runtimeVersion());
    }
}
