package io.quantserve.engine.config;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.weights.BiasOverflowPolicy;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;

/**
 * A quantization config: AMCT's per-layer JSON file as an immutable value. Build one with
 * {@link ConfigFactory#create}, read one with {@link QuantConfigs#read}. The constructor checks everything that
 * does not need the model; {@link QuantConfigs#validateAgainst} checks the rest (layer names and operator kinds).
 *
 * @param version {@code version} of the file format; only {@link #CURRENT_VERSION}
 * @param batchNum {@code batch_num}: calibration batches to run before the activation factors are computed, &ge; 1
 * @param activationOffset {@code activation_offset}: quantize activations asymmetrically (with an offset) unless a
 *     layer's {@code asymmetric} says otherwise
 * @param doFusion {@code do_fusion}: fold BatchNormalization into the preceding Conv/ConvTranspose
 * @param skipFusionLayers {@code skip_fusion_layers}: Conv/ConvTranspose nodes not to fuse, no duplicates
 * @param biasOverflowPolicy {@code bias_overflow_policy} (QuantServe extension)
 * @param matMulChannelWise {@code matmul_channel_wise} (QuantServe extension): whether Gemm/MatMul layers may have
 *     per-column weight scales, and whether the deploy model keeps them
 * @param layers layer name &rarr; its config, in file (for created configs: graph) order; names are non-empty and
 *     differ from the top-level keys
 */
public record QuantConfig(
        int version,
        int batchNum,
        boolean activationOffset,
        boolean doFusion,
        List<String> skipFusionLayers,
        BiasOverflowPolicy biasOverflowPolicy,
        MatMulChannelWise matMulChannelWise,
        SequencedMap<String, LayerConfig> layers) {

    /** The only file format version there is. */
    public static final int CURRENT_VERSION = 1;

    public QuantConfig {
        Objects.requireNonNull(biasOverflowPolicy, "biasOverflowPolicy");
        Objects.requireNonNull(matMulChannelWise, "matMulChannelWise");
        checkVersion(version);
        checkBatchNum(batchNum);
        skipFusionLayers = List.copyOf(skipFusionLayers);
        checkSkipFusionLayers(skipFusionLayers);
        SequencedMap<String, LayerConfig> copy = new LinkedHashMap<>();
        for (Map.Entry<String, LayerConfig> e : layers.entrySet()) {
            checkLayerName(e.getKey());
            copy.put(e.getKey(), Objects.requireNonNull(e.getValue(), e.getKey()));
        }
        layers = Collections.unmodifiableSequencedMap(copy);
    }

    /** A config with AMCT's rule for Gemm/MatMul weights ({@code matmul_channel_wise} off). */
    public QuantConfig(
            int version,
            int batchNum,
            boolean activationOffset,
            boolean doFusion,
            List<String> skipFusionLayers,
            BiasOverflowPolicy biasOverflowPolicy,
            SequencedMap<String, LayerConfig> layers) {
        this(
                version,
                batchNum,
                activationOffset,
                doFusion,
                skipFusionLayers,
                biasOverflowPolicy,
                MatMulChannelWise.OFF,
                layers);
    }

    static void checkVersion(int version) {
        if (version != CURRENT_VERSION) {
            throw new InvalidConfigException(
                    "version " + version + " is not supported (this reader understands " + CURRENT_VERSION + ")");
        }
    }

    static void checkBatchNum(int batchNum) {
        if (batchNum < 1) {
            throw new InvalidConfigException("batch_num must be >= 1, got " + batchNum);
        }
    }

    static void checkSkipFusionLayers(List<String> names) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                throw new InvalidConfigException("skip_fusion_layers lists '" + name + "' twice");
            }
        }
    }

    static void checkLayerName(String name) {
        if (name.isEmpty()) {
            throw new InvalidConfigException("a layer has an empty name (run NodeNames.normalize on the model)");
        }
        if (ConfigKeys.TOP_LEVEL.contains(name)) {
            throw new InvalidConfigException("layer '" + name
                    + "' has the name of a top-level key; rename the node (configs are keyed by node name)");
        }
    }

    /** The config of layer {@code name}, if the file has one. */
    public Optional<LayerConfig> layer(String name) {
        return Optional.ofNullable(layers.get(name));
    }

    /** Names of the layers with {@code quant_enable: true}, in order. */
    public List<String> enabledLayers() {
        return layers.entrySet().stream()
                .filter(e -> e.getValue().quantEnable())
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Names of the enabled layers whose config sets {@code dmq_balancer_param}, in order. */
    public List<String> balancedLayers() {
        return layers.entrySet().stream()
                .filter(e -> e.getValue().quantEnable() && e.getValue().dmqBalancerParam() != null)
                .map(Map.Entry::getKey)
                .toList();
    }

    /**
     * Whether layer {@code name}'s input is quantized with an offset: its {@code asymmetric} if set, else the
     * global {@code activation_offset}.
     *
     * @throws InvalidConfigException when the config has no such layer
     */
    public boolean asymmetric(String name) {
        LayerConfig l = layer(name).orElseThrow(() -> new InvalidConfigException("no layer '" + name + "' in config"));
        return l.activation().effectiveAsymmetric(activationOffset);
    }
}
