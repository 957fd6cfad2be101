package io.quantserve.engine.accuracy;

import io.quantserve.engine.InvalidConfigException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The metrics that need no user code. All read one model output, the logits: the one named, else the model's first
 * output; arg-max is taken over its last axis.
 *
 * <ul>
 *   <li>{@link #TOP1}: top-1 accuracy in % against the integer labels of the evaluation set ({@code .npz} array
 *       {@value #DEFAULT_LABELS} unless named otherwise): label array {@code [N, …]} with as many labels per sample as
 *       the output has arg-max rows per sample ({@code [N]} for {@code [N, C]} logits, {@code [N, T]} for {@code [N,
 *       T, C]}).
 *   <li>{@link #TOP1_AGREEMENT}: % of arg-max rows equal to the float model's.
 *   <li>{@link #COSINE}: cosine similarity to the float model's output per sample, averaged.
 *   <li>{@link #SQNR}: {@code 10·log10(Σref² / Σ(ref − out)²)} in dB over the whole set; the float model's is +∞, so
 *       its target is a floor ({@link AccuracyTarget.AtLeast}).
 * </ul>
 */
public enum BuiltInMetric {
    TOP1("top1", "%"),
    TOP1_AGREEMENT("top1-agreement", "%"),
    COSINE("cosine", ""),
    SQNR("sqnr", "dB");

    /** The labels array {@link #TOP1} reads when none is named. */
    public static final String DEFAULT_LABELS = "labels";

    private final String cliName;
    private final String unit;

    BuiltInMetric(String cliName, String unit) {
        this.cliName = cliName;
        this.unit = unit;
    }

    /** The name used on the command line and in results. */
    public String cliName() {
        return cliName;
    }

    /** The unit of the metric's values. */
    public String unit() {
        return unit;
    }

    /**
     * @throws InvalidConfigException for an unknown name, listing the known ones
     */
    public static BuiltInMetric parse(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(m -> m.cliName.equals(n))
                .findFirst()
                .orElseThrow(() -> new InvalidConfigException("unknown metric '" + name + "'; choose one of "
                        + Arrays.stream(values()).map(BuiltInMetric::cliName).toList()));
    }

    /**
     * The metric over {@code evaluationSet}.
     *
     * @param output the logits output; null for the model's first output
     * @param labels the labels array of {@link #TOP1}; null for {@value #DEFAULT_LABELS}; must be null for the others
     * @throws InvalidConfigException when labels are named for a metric that compares with the float model
     * @throws io.quantserve.engine.InvalidDataException when {@link #TOP1}'s labels are missing or not integers
     */
    public AccuracyMetric create(Path evaluationSet, @Nullable String output, @Nullable String labels) {
        if (this == TOP1) {
            return LabelTop1Metric.read(cliName, unit, evaluationSet, labels == null ? DEFAULT_LABELS : labels, output);
        }
        if (labels != null) {
            throw new InvalidConfigException("labels ('" + labels + "') apply to metric " + TOP1.cliName
                    + " only; metric " + cliName + " compares with the float model's outputs");
        }
        return new FloatComparisonMetric(this, output);
    }
}
