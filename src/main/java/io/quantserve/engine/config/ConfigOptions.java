package io.quantserve.engine.config;

import io.quantserve.engine.layers.LayerType;
import io.quantserve.engine.weights.BiasOverflowPolicy;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ConfigFactory#create} should put into a new config; the arguments of AMCT's
 * {@code create_quant_config} plus the parts of its simplified configuration ({@code skip_layer_types}, per-layer
 * overrides, {@code do_fusion}, {@code skip_fusion_layers}) and QuantServe's extensions. Start from
 * {@link #defaults()} or {@link #builder()}.
 *
 * @param skipLayers layers written with {@code quant_enable: false}; each must be a quantizable layer
 * @param skipLayerTypes operator kinds whose layers are all written with {@code quant_enable: false}
 * @param batchNum {@code batch_num}, &ge; 1 (AMCT's default: 1)
 * @param activationOffset {@code activation_offset} (AMCT's default: true, asymmetric activations)
 * @param doFusion {@code do_fusion} (default true)
 * @param skipFusionLayers {@code skip_fusion_layers} (default none)
 * @param biasOverflowPolicy {@code bias_overflow_policy} (default {@link BiasOverflowPolicy#FAIL})
 * @param defaultAlgorithm activation algorithm of every layer without an override (default AMCT's IFMR)
 * @param overrides layer name &rarr; partial override; each name must be a quantizable layer
 * @param matMulChannelWise {@code matmul_channel_wise} (default {@link MatMulChannelWise#OFF}, AMCT's rule); when
 *     not off, Gemm and MatMul layers are written with {@code channel_wise: true} unless an override says otherwise
 * @param dmqBalancerParam {@code dmq_balancer_param} written for every layer that DMQ balancing supports
 *     ({@link QuantConfigs#supportsDmq}) within {@code dmqLayers}; null (default) writes it for none. An override
 *     may change or remove it per layer.
 * @param dmqLayers which of the supported layers {@code dmqBalancerParam} applies to (default {@link DmqLayers#ALL})
 */
public record ConfigOptions(
        List<String> skipLayers,
        Set<LayerType> skipLayerTypes,
        int batchNum,
        boolean activationOffset,
        boolean doFusion,
        List<String> skipFusionLayers,
        BiasOverflowPolicy biasOverflowPolicy,
        ActivationAlgorithm defaultAlgorithm,
        Map<String, LayerOverride> overrides,
        MatMulChannelWise matMulChannelWise,
        @Nullable Double dmqBalancerParam,
        DmqLayers dmqLayers) {

    public ConfigOptions {
        Objects.requireNonNull(dmqLayers, "dmqLayers");
        skipLayers = List.copyOf(skipLayers);
        skipLayerTypes = Set.copyOf(skipLayerTypes);
        skipFusionLayers = List.copyOf(skipFusionLayers);
        Objects.requireNonNull(biasOverflowPolicy, "biasOverflowPolicy");
        Objects.requireNonNull(defaultAlgorithm, "defaultAlgorithm");
        overrides = Map.copyOf(overrides);
        Objects.requireNonNull(matMulChannelWise, "matMulChannelWise");
        if (dmqBalancerParam != null) LayerConfig.checkDmqBalancerParam(dmqBalancerParam);
    }

    /** AMCT's defaults: nothing skipped, {@code batch_num} 1, asymmetric activations, BN fusion, IFMR. */
    public static ConfigOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ConfigOptions}; every setter replaces the previous value. */
    public static final class Builder {
        private List<String> skipLayers = List.of();
        private Set<LayerType> skipLayerTypes = EnumSet.noneOf(LayerType.class);
        private int batchNum = 1;
        private boolean activationOffset = true;
        private boolean doFusion = true;
        private List<String> skipFusionLayers = List.of();
        private BiasOverflowPolicy biasOverflowPolicy = BiasOverflowPolicy.FAIL;
        private ActivationAlgorithm defaultAlgorithm = ActivationAlgorithm.amctDefault();
        private final Map<String, LayerOverride> overrides = new LinkedHashMap<>();
        private MatMulChannelWise matMulChannelWise = MatMulChannelWise.OFF;
        private @Nullable Double dmqBalancerParam;
        private DmqLayers dmqLayers = DmqLayers.ALL;

        private Builder() {}

        public Builder skipLayers(List<String> names) {
            this.skipLayers = new ArrayList<>(names);
            return this;
        }

        public Builder skipLayerTypes(Set<LayerType> types) {
            this.skipLayerTypes = types.isEmpty() ? EnumSet.noneOf(LayerType.class) : EnumSet.copyOf(types);
            return this;
        }

        public Builder batchNum(int batchNum) {
            this.batchNum = batchNum;
            return this;
        }

        public Builder activationOffset(boolean activationOffset) {
            this.activationOffset = activationOffset;
            return this;
        }

        public Builder doFusion(boolean doFusion) {
            this.doFusion = doFusion;
            return this;
        }

        public Builder skipFusionLayers(List<String> names) {
            this.skipFusionLayers = new ArrayList<>(names);
            return this;
        }

        public Builder biasOverflowPolicy(BiasOverflowPolicy policy) {
            this.biasOverflowPolicy = policy;
            return this;
        }

        public Builder defaultAlgorithm(ActivationAlgorithm algorithm) {
            this.defaultAlgorithm = algorithm;
            return this;
        }

        /** Sets the override of layer {@code name}, replacing an earlier one for the same layer. */
        public Builder override(String name, LayerOverride override) {
            this.overrides.put(name, override);
            return this;
        }

        /** {@code matmul_channel_wise}: allows (and, when not off, defaults to) per-column Gemm/MatMul weights. */
        public Builder matMulChannelWise(MatMulChannelWise value) {
            this.matMulChannelWise = value;
            return this;
        }

        /** {@code dmq_balancer_param} for every layer that supports DMQ balancing; null for none. */
        public Builder dmqBalancerParam(@Nullable Double alpha) {
            this.dmqBalancerParam = alpha;
            return this;
        }

        /** Which supported layers {@link #dmqBalancerParam} applies to. */
        public Builder dmqLayers(DmqLayers value) {
            this.dmqLayers = value;
            return this;
        }

        public ConfigOptions build() {
            return new ConfigOptions(
                    skipLayers,
                    skipLayerTypes,
                    batchNum,
                    activationOffset,
                    doFusion,
                    skipFusionLayers,
                    biasOverflowPolicy,
                    defaultAlgorithm,
                    overrides,
                    matMulChannelWise,
                    dmqBalancerParam,
                    dmqLayers);
        }
    }
}
