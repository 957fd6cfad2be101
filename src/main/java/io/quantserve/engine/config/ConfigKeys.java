package io.quantserve.engine.config;

import java.util.List;

/** The JSON keys of the config file, in the order AMCT writes them. */
final class ConfigKeys {
    static final String VERSION = "version";
    static final String BATCH_NUM = "batch_num";
    static final String ACTIVATION_OFFSET = "activation_offset";
    static final String DO_FUSION = "do_fusion";
    static final String SKIP_FUSION_LAYERS = "skip_fusion_layers";
    static final String BIAS_OVERFLOW_POLICY = "bias_overflow_policy";
    static final String MATMUL_CHANNEL_WISE = "matmul_channel_wise";

    /** Top-level keys that are not layer names; a layer may not be called like one of them. */
    static final List<String> TOP_LEVEL = List.of(
            VERSION,
            BATCH_NUM,
            ACTIVATION_OFFSET,
            DO_FUSION,
            SKIP_FUSION_LAYERS,
            BIAS_OVERFLOW_POLICY,
            MATMUL_CHANNEL_WISE);

    static final String QUANT_ENABLE = "quant_enable";
    static final String DMQ_BALANCER_PARAM = "dmq_balancer_param";
    static final String ACTIVATION_QUANT_PARAMS = "activation_quant_params";
    static final String WEIGHT_QUANT_PARAMS = "weight_quant_params";
    static final List<String> LAYER =
            List.of(QUANT_ENABLE, DMQ_BALANCER_PARAM, ACTIVATION_QUANT_PARAMS, WEIGHT_QUANT_PARAMS);

    static final String NUM_BITS = "num_bits";
    static final String ACT_ALGO = "act_algo";
    static final String ASYMMETRIC = "asymmetric";
    static final String MAX_PERCENTILE = "max_percentile";
    static final String MIN_PERCENTILE = "min_percentile";
    static final String SEARCH_RANGE = "search_range";
    static final String SEARCH_STEP = "search_step";
    static final String NUM_OF_BINS = "num_of_bins";
    static final String PERCENTILE = "percentile";

    static final String WTS_ALGO = "wts_algo";
    static final String CHANNEL_WISE = "channel_wise";
    static final List<String> WEIGHT = List.of(NUM_BITS, WTS_ALGO, CHANNEL_WISE);

    private ConfigKeys() {}
}
