package io.quantserve.cli;

import io.quantserve.engine.config.ConfigFactory;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.config.QuantConfig;
import io.quantserve.engine.config.QuantConfigs;
import io.quantserve.engine.layers.LayerType;
import io.quantserve.engine.pipeline.ModelPreparation;
import io.quantserve.engine.pipeline.PreparedModel;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code create-config}: AMCT's create_quant_config. */
@Command(name = "create-config", description = "Write the per-layer AMCT quantization config of a model.")
final class CreateConfigCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, description = "the float ONNX model")
    Path model;

    @Option(names = "--out", required = true, description = "config file to write (JSON)")
    Path out;

    @Option(names = "--skip-layers", split = ",", description = "layers to keep in float (comma-separated)")
    List<String> skipLayers = List.of();

    @Option(
            names = "--skip-layer-types",
            split = ",",
            description = "op types to keep in float, e.g. MatMul,AveragePool")
    List<String> skipLayerTypes = List.of();

    @Option(names = "--batch-num", description = "calibration batches (default ${DEFAULT-VALUE})")
    int batchNum = 1;

    @Option(
            names = "--activation-offset",
            arity = "1",
            description = "asymmetric activations (default ${DEFAULT-VALUE})")
    boolean activationOffset = true;

    @Mixin
    BeyondAmctOptions beyondAmct = new BeyondAmctOptions();

    @Option(
            names = "--override",
            description = "per-layer override LAYER:key=value[,key=value] (quant_enable, asymmetric, channel_wise,"
                    + " act_algo, dmq_balancer_param); repeatable")
    List<String> overrides = List.of();

    @Override
    public Integer call() {
        PreparedModel prepared = ModelPreparation.prepare(model);
        Set<LayerType> types = EnumSet.noneOf(LayerType.class);
        for (String t : skipLayerTypes) {
            types.add(LayerType.forOpType(t)
                    .orElseThrow(() -> new picocli.CommandLine.ParameterException(
                            spec.commandLine(),
                            "unknown layer type '" + t + "' (Conv, ConvTranspose, Gemm, MatMul, AveragePool)")));
        }
        QuantConfig config = ConfigFactory.create(
                prepared.scan(),
                LayerOverrides.apply(beyondAmct.apply(ConfigOptions.builder()), overrides)
                        .skipLayers(skipLayers)
                        .skipLayerTypes(types)
                        .batchNum(batchNum)
                        .activationOffset(activationOffset)
                        .build());
        QuantConfigs.write(config, out);
        spec.commandLine()
                .getErr()
                .println("wrote " + out + " (" + config.layers().size() + " layers, "
                        + config.enabledLayers().size() + " enabled)");
        return 0;
    }
}
