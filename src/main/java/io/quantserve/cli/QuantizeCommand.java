package io.quantserve.cli;

import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.pipeline.QuantizationPipeline;
import io.quantserve.engine.pipeline.QuantizeRequest;
import io.quantserve.engine.pipeline.QuantizeResult;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code quantize}: calibrate and export (AMCT's quantize_model + calibration + save_model), or, with {@code
 * --from-stats}, apply the config to the statistics of an earlier run without a calibration forward pass.
 */
@Command(
        name = "quantize",
        description = {
            "Calibrate on data and write config, record, fake_quant/deploy/INT8 models, statistics.bin and manifest"
                    + " to DIR.",
            "With --from-stats, no forward pass: the config (algorithm, parameters, skip list) is applied to an"
                    + " earlier run's statistics.bin; --data is then optional and only used for verification."
        })
final class QuantizeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, description = "the float ONNX model")
    Path model;

    @Option(
            names = "--data",
            description = "calibration data: .npz, .npy or a test-data folder (with --from-stats: verification data)")
    Path data;

    @Option(
            names = "--from-stats",
            paramLabel = "FILE",
            description = "statistics.bin of an earlier quantize run on the same model: no calibration pass")
    Path fromStats;

    @Option(names = "--config", description = "AMCT config (default: created with AMCT defaults)")
    Path config;

    @Option(names = "--skip-layers", split = ",", description = "layers to keep in float when no --config is given")
    List<String> skipLayers = List.of();

    @Mixin
    BeyondAmctOptions beyondAmct = new BeyondAmctOptions();

    @Option(
            names = "--override",
            description = "per-layer override when no --config is given: LAYER:key=value[,key=value]; repeatable")
    List<String> overrides = List.of();

    @Option(names = "--batch-size", description = "samples per batch (default ${DEFAULT-VALUE})")
    int batchSize = 32;

    @Option(names = "--batch-num", description = "calibration batches (default: the config's batch_num)")
    Integer batchNum;

    @Option(names = "--out", required = true, description = "output folder; written completely or not at all")
    Path out;

    @Override
    public Integer call() {
        if (data == null && fromStats == null) {
            throw new ParameterException(spec.commandLine(), "quantize needs --data or --from-stats");
        }
        QuantizeResult result = QuantizationPipeline.quantize(
                new QuantizeRequest(
                        model,
                        data,
                        config,
                        LayerOverrides.apply(beyondAmct.apply(ConfigOptions.builder()), overrides)
                                .skipLayers(skipLayers)
                                .build(),
                        batchSize,
                        fromStats == null ? batchNum : null,
                        out,
                        1,
                        fromStats),
                new TerminalProgress(spec.commandLine().getErr()));
        Json.print(spec.commandLine().getOut(), result);
        return 0;
    }
}
