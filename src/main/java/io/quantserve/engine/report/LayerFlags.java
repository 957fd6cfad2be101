package io.quantserve.engine.report;

import io.quantserve.engine.report.QualityReport.Flag;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Derives a layer's {@link Flag}s from its factors and measurements; each rule is one line below. */
final class LayerFlags {
    /** Clip ratio above which {@link Flag#HIGH_CLIP_RATIO} is raised: 1 % of the input values. */
    static final double CLIP_RATIO_LIMIT = 0.01;

    /** Fewer quantization levels spanned by the input than this raise {@link Flag#FEW_LEVELS_USED} (4 bits). */
    static final double MIN_LEVELS = 16;

    /** Fraction of the INT32 range above which {@link Flag#BIAS_NEAR_INT32_LIMIT} is raised. */
    static final double BIAS_RANGE_LIMIT = 0.5;

    private LayerFlags() {}

    static List<Flag> of(
            QualityReport.Activation activation,
            QualityReport.@Nullable Weight weight,
            QualityReport.@Nullable Bias bias,
            QualityReport.Input input,
            boolean nonFinite) {
        List<Flag> flags = new ArrayList<>();
        if (activation.scaleD() == 1.0f && activation.offsetD() == 0) flags.add(Flag.UNIT_SCALE_D);
        if (input.clipRatio() != null && input.clipRatio() > CLIP_RATIO_LIMIT) flags.add(Flag.HIGH_CLIP_RATIO);
        double levels = InputStatistics.levelsSpanned(input, activation.scaleD());
        if (levels > 0 && levels < MIN_LEVELS) flags.add(Flag.FEW_LEVELS_USED);
        if (weight != null && weight.zeroChannels() > 0) flags.add(Flag.ZERO_WEIGHT_CHANNEL);
        if (bias != null && bias.int32RangeUsed() > BIAS_RANGE_LIMIT) flags.add(Flag.BIAS_NEAR_INT32_LIMIT);
        if (nonFinite) flags.add(Flag.NON_FINITE_VALUES);
        return flags;
    }
}
