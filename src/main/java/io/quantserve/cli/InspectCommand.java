package io.quantserve.cli;

import io.quantserve.engine.inspect.ModelInspector;
import io.quantserve.engine.onnx.ModelIo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code inspect}: what the engine sees in a model, as JSON. */
@Command(
        name = "inspect",
        description = "Print inputs, outputs, opset, quantizable layers (and why others are not) and problems as JSON.")
final class InspectCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, description = "the ONNX model")
    Path model;

    @Override
    public Integer call() {
        Json.print(spec.commandLine().getOut(), ModelInspector.inspect(ModelIo.load(model)));
        return 0;
    }
}
