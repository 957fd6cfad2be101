package io.quantserve.engine.config;

import io.quantserve.engine.InvalidConfigException;

/** The {@code wts_algo} values of {@code weight_quant_params}: AMCT's ARQ is the only one. */
public enum WtsAlgo {
    /** Symmetric weight quantization, {@code scale_w = max|W| / 127} per output channel or per tensor. */
    ARQ_QUANTIZE("arq_quantize");

    private final String jsonName;

    WtsAlgo(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The value of {@code wts_algo} in the JSON file. */
    public String jsonName() {
        return jsonName;
    }

    /**
     * The algorithm named {@code name} (exact match).
     *
     * @throws InvalidConfigException naming the allowed values when there is none
     */
    public static WtsAlgo fromJson(String name) {
        for (WtsAlgo a : values()) {
            if (a.jsonName.equals(name)) return a;
        }
        throw new InvalidConfigException("wts_algo '" + name + "' is not one of 'arq_quantize'");
    }
}
