package io.quantserve.engine.accuracy;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.config.LayerConfig;
import io.quantserve.engine.config.QuantConfig;
import io.quantserve.engine.config.QuantConfigs;
import io.quantserve.engine.pipeline.QuantizationPipeline;
import io.quantserve.engine.pipeline.QuantizeResult;
import io.quantserve.engine.pipeline.SaveRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Re-exports the calibrated run with some layers in float: the run's config with those layers written
 * {@code quant_enable: false}, and the run's record, through {@link QuantizationPipeline#save}. No calibration
 * runs; every other layer keeps its factors.
 */
final class CandidateExport {
    private final Path model;
    private final QuantConfig config;
    private final Path record;
    private final Path workDir;
    private int exports;

    /**
     * @param config the config the calibration run wrote
     * @param record the record the calibration run wrote
     * @param workDir where candidate configs are written
     */
    CandidateExport(Path model, Path config, Path record, Path workDir) {
        this.model = model;
        this.config = QuantConfigs.read(config);
        this.record = record;
        this.workDir = workDir;
    }

    /**
     * @param floatLayers enabled layers to keep in float
     * @param data samples for the built-in verification and the report; null to only load the exported models
     * @param outDir the save run's output folder
     */
    QuantizeResult export(
            List<String> floatLayers, @Nullable Path data, int batchSize, Path outDir, ProgressListener progress) {
        SequencedMap<String, LayerConfig> layers = new LinkedHashMap<>(config.layers());
        for (String name : floatLayers) {
            LayerConfig layer = layers.get(name);
            if (layer == null) throw new InvalidConfigException("no layer '" + name + "' in the calibrated config");
            layers.put(name, layer.withQuantEnable(false));
        }
        QuantConfig candidate = new QuantConfig(
                config.version(),
                config.batchNum(),
                config.activationOffset(),
                config.doFusion(),
                config.skipFusionLayers(),
                config.biasOverflowPolicy(),
                layers);
        Path file = workDir.resolve("candidate-" + ++exports + "-quant_config.json");
        QuantConfigs.write(candidate, file);
        return QuantizationPipeline.save(new SaveRequest(model, file, record, data, batchSize, outDir), progress);
    }

    /** Deletes a candidate's output folder. */
    static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting candidate folder " + dir, e);
        }
    }
}
