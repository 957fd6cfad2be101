package io.quantserve.engine.config;

import io.quantserve.engine.InvalidConfigException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code act_algo} values of a layer's {@code activation_quant_params}, with the parameter keys each one
 * takes. {@link #IFMR} and {@link #HFMG} are AMCT's; {@link #MINMAX}, {@link #PERCENTILE}, {@link #KL} and
 * {@link #AUTO} (the candidate with the smallest measured layer-output error) are QuantServe extensions (a config
 * using them is not readable by AMCT).
 */
public enum ActAlgo {
    IFMR("ifmr", true, List.of("max_percentile", "min_percentile", "search_range", "search_step")),
    HFMG("hfmg", true, List.of("num_of_bins")),
    MINMAX("minmax", false, List.of()),
    PERCENTILE("percentile", false, List.of("percentile")),
    KL("kl", false, List.of("num_of_bins")),
    AUTO("auto", false, List.of());

    private final String jsonName;
    private final boolean amct;
    private final List<String> parameterKeys;

    ActAlgo(String jsonName, boolean amct, List<String> parameterKeys) {
        this.jsonName = jsonName;
        this.amct = amct;
        this.parameterKeys = parameterKeys;
    }

    /** The value of {@code act_algo} in the JSON file (lower case, as AMCT writes it). */
    public String jsonName() {
        return jsonName;
    }

    /** True for the algorithms AMCT itself understands. */
    public boolean isAmct() {
        return amct;
    }

    /** The keys of {@code activation_quant_params} that belong to this algorithm, in the order they are written. */
    public List<String> parameterKeys() {
        return parameterKeys;
    }

    /**
     * The algorithm named {@code name} (exact, case-sensitive match).
     *
     * @throws InvalidConfigException naming the allowed values when there is none
     */
    public static ActAlgo fromJson(String name) {
        for (ActAlgo a : values()) {
            if (a.jsonName.equals(name)) return a;
        }
        throw new InvalidConfigException("act_algo '" + name + "' is not one of " + allowed());
    }

    static String allowed() {
        return Arrays.stream(values()).map(a -> "'" + a.jsonName + "'").collect(Collectors.joining(", "));
    }
}
