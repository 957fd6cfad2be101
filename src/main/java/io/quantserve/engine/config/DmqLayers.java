package io.quantserve.engine.config;

import io.quantserve.engine.InvalidConfigException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Which layers a model-wide {@code dmq_balancer_param} is written for (a QuantServe option of {@code
 * create_quant_config}; the config itself stays per layer, as AMCT's).
 */
public enum DmqLayers {
    /** Every layer DMQ balancing supports. */
    ALL("all"),
    /**
     * Only layers whose input is a normalization output ({@link
     * io.quantserve.engine.layers.LayerScan#normalizationFed}): SmoothQuant's placement, where transformers keep their
     * outlier channels. The layers after attention and GELU stay unbalanced.
     */
    NORMALIZATION_FED("norm-fed");

    private final String cliName;

    DmqLayers(String cliName) {
        this.cliName = cliName;
    }

    /** The option's value on the command line. */
    public String cliName() {
        return cliName;
    }

    /**
     * The scope named {@code name}.
     *
     * @throws InvalidConfigException naming the allowed values when there is none
     */
    public static DmqLayers fromCli(String name) {
        for (DmqLayers d : values()) {
            if (d.cliName.equals(name)) return d;
        }
        throw new InvalidConfigException("DMQ layers '" + name + "' is not one of "
                + Arrays.stream(values()).map(d -> "'" + d.cliName + "'").collect(Collectors.joining(", ")));
    }
}
