package io.quantserve.service.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.config.ActAlgo;
import io.quantserve.engine.config.ActivationAlgorithm;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.layers.LayerType;
import io.quantserve.engine.weights.BiasOverflowPolicy;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * How a job quantizes: either a complete AMCT config or typed overrides of the generated one, plus the calibration
 * batching. Stored with the job ({@code jobs.options}) exactly as resolved at creation.
 *
 * @param config an AMCT quantization config (the JSON object of {@code quant_config.json}); when present the typed
 *     overrides {@code skipLayers}, {@code skipLayerTypes}, {@code actAlgo}, {@code biasOverflowPolicy} and {@code
 *     beyondAmct} must be empty
 * @param skipLayers layers kept in float
 * @param skipLayerTypes operator types whose layers are all kept in float ({@code Conv}, {@code Gemm}, …)
 * @param batchSize samples per calibration batch, at least 1
 * @param batchNum calibration batches; null for the config's {@code batch_num}
 * @param actAlgo activation algorithm of every layer with its default parameters ({@code ifmr}, {@code hfmg},
 *     {@code minmax}, {@code percentile}, {@code kl}); null for AMCT's default (IFMR)
 * @param biasOverflowPolicy {@code fail}, {@code adjust_weight_scale} or {@code skip_layer}; null for {@code fail}
 * @param outputs the {@link OutputKind artefact kinds} to publish; empty for all of them
 * @param autoRollback accuracy-based automatic quantization on the job's evaluation dataset, or null for one plain
 *     quantization run
 * @param beyondAmct per-column Gemm/MatMul weights and DMQ balancing of the generated config; null for AMCT's rules
 */
public record JobOptions(
        @Nullable JsonNode config,
        @JsonProperty("skip_layers") List<String> skipLayers,
        @JsonProperty("skip_layer_types") List<String> skipLayerTypes,
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("batch_num") @Nullable Integer batchNum,
        @JsonProperty("act_algo") @Nullable String actAlgo,
        @JsonProperty("bias_overflow_policy") @Nullable String biasOverflowPolicy,
        List<String> outputs,
        @JsonProperty("auto_rollback") @Nullable AutoRollback autoRollback,
        @JsonProperty("beyond_amct") @Nullable BeyondAmct beyondAmct) {

    /** Samples per calibration batch when a request states none. */
    public static final int DEFAULT_BATCH_SIZE = 32;

    public JobOptions {
        if (config != null && config.isNull()) config = null;
        skipLayers = skipLayers == null ? List.of() : List.copyOf(skipLayers);
        skipLayerTypes = skipLayerTypes == null ? List.of() : List.copyOf(skipLayerTypes);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /**
     * Checks every value that can be checked without the model.
     *
     * @throws InvalidConfigException naming the option at fault
     */
    public JobOptions validate() {
        if (batchSize < 1) throw new InvalidConfigException("batch_size must be >= 1, got " + batchSize);
        if (batchNum != null && batchNum < 1) {
            throw new InvalidConfigException("batch_num must be >= 1, got " + batchNum);
        }
        if (config != null && !config.isObject()) {
            throw new InvalidConfigException("config must be a JSON object (the content of quant_config.json)");
        }
        if (config != null
                && (!skipLayers.isEmpty()
                        || !skipLayerTypes.isEmpty()
                        || actAlgo != null
                        || biasOverflowPolicy != null
                        || beyondAmct != null)) {
            throw new InvalidConfigException("give either config or the overrides skip_layers, skip_layer_types,"
                    + " act_algo, bias_overflow_policy and beyond_amct, not both: a config already states them per"
                    + " layer");
        }
        layerTypes();
        algorithm();
        biasPolicy();
        outputs.forEach(OutputKind::parse);
        if (autoRollback != null) autoRollback.validate();
        if (beyondAmct != null) beyondAmct.validate();
        return this;
    }

    /** The options of the config the engine generates when {@link #config()} is null. */
    public ConfigOptions configOptions() {
        ConfigOptions.Builder b = ConfigOptions.builder()
                .skipLayers(skipLayers)
                .skipLayerTypes(layerTypes())
                .biasOverflowPolicy(biasPolicy())
                .defaultAlgorithm(algorithm());
        if (batchNum != null) b.batchNum(batchNum);
        if (beyondAmct != null) beyondAmct.apply(b);
        return b.build();
    }

    /** The activation algorithm {@link #actAlgo()} names, with its default parameters. */
    public ActivationAlgorithm algorithm() {
        if (actAlgo == null) return ActivationAlgorithm.amctDefault();
        return ActivationAlgorithm.withDefaults(ActAlgo.fromJson(actAlgo));
    }

    private BiasOverflowPolicy biasPolicy() {
        return biasOverflowPolicy == null ? BiasOverflowPolicy.FAIL : BiasOverflowPolicy.fromJson(biasOverflowPolicy);
    }

    private Set<LayerType> layerTypes() {
        Set<LayerType> types = EnumSet.noneOf(LayerType.class);
        for (String name : skipLayerTypes) {
            types.add(LayerType.forOpType(name)
                    .orElseThrow(() -> new InvalidConfigException("skip_layer_types names '" + name
                            + "', which is not a quantizable op type (Conv, ConvTranspose, Gemm, MatMul,"
                            + " AveragePool)")));
        }
        return types;
    }
}
