package io.quantserve.cli;

import io.quantserve.engine.export.Manifest;
import io.quantserve.engine.runtime.InferenceSession;
import picocli.CommandLine;

/** Prints the engine and ONNX Runtime versions for {@code --version}. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            "quantserve " + Manifest.engineVersion(), "onnxruntime " + InferenceSession.runtimeVersion()
        };
    }
}
