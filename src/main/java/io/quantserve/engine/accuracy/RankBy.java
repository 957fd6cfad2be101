package io.quantserve.engine.accuracy;

import io.quantserve.engine.InvalidConfigException;
import java.util.Arrays;

/** What orders the layers from most to least sensitive; both come from the quality report's isolated replay. */
public enum RankBy {
    /**
     * The report's ranking: the SQNR of each layer's output with that layer alone quantized on the float model's
     * input, lowest first.
     */
    ISOLATED_SQNR("sqnr"),
    /** AMCT's similarity score {@code 0.5 + 0.5·cosine} of the same isolated output, lowest first. */
    AMCT_SCORE("amct-score");

    private final String cliName;

    RankBy(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line and in {@code sensitivity.json}. */
    public String cliName() {
        return cliName;
    }

    /** @throws InvalidConfigException for an unknown name, listing the known ones */
    public static RankBy parse(String name) {
        return Arrays.stream(values())
                .filter(r -> r.cliName.equals(name))
                .findFirst()
                .orElseThrow(() -> new InvalidConfigException("unknown ranking '" + name + "'; choose one of "
                        + Arrays.stream(values()).map(RankBy::cliName).toList()));
    }
}
