package io.quantserve.cli;

import io.quantserve.engine.pipeline.QuantizationPipeline;
import io.quantserve.engine.pipeline.QuantizeResult;
import io.quantserve.engine.pipeline.SaveRequest;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code save}: re-export from a config and a (possibly edited) record, without calibration. */
@Command(name = "save", description = "Re-export the models from a config and a record file (no calibration).")
final class SaveCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true)
    Path model;

    @Option(names = "--config", required = true)
    Path config;

    @Option(names = "--record", required = true)
    Path record;

    @Option(names = "--data", description = "optional samples to verify the exported models on")
    Path data;

    @Option(names = "--batch-size", description = "samples per verification batch (default ${DEFAULT-VALUE})")
    int batchSize = 32;

    @Option(names = "--out", required = true)
    Path out;

    @Override
    public Integer call() {
        QuantizeResult result = QuantizationPipeline.save(
                new SaveRequest(model, config, record, data, batchSize, out),
                new TerminalProgress(spec.commandLine().getErr()));
        Json.print(spec.commandLine().getOut(), result);
        return 0;
    }
}
