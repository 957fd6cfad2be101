package io.quantserve.engine.quant;

import io.quantserve.engine.calibration.ActivationObserver;
import io.quantserve.engine.calibration.HfmgObserver;
import io.quantserve.engine.calibration.IfmrObserver;
import io.quantserve.engine.calibration.KlObserver;
import io.quantserve.engine.calibration.MinMaxObserver;
import io.quantserve.engine.calibration.PercentileObserver;
import io.quantserve.engine.config.ActivationAlgorithm;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The observer (range algorithm over a tensor's statistics) that implements each configured {@link ActivationAlgorithm}. */
public final class ActivationObservers {
    private ActivationObservers() {}

    /**
     * The observer for {@code algorithm}, which reads a clip range from a tensor's calibration statistics.
     *
     * An {@code auto} layer gets {@link ActivationAlgorithm.Auto#PROVISIONAL}'s observer; the pipeline replaces its
     * range with the measured choice afterwards.
     *
     * @param asymmetric whether the layer input is quantized with an offset (IFMR, HFMG and Percentile choose their
     *     range for that quantizer; MinMax and KL ignore it)
     */
    public static ActivationObserver create(ActivationAlgorithm algorithm, boolean asymmetric) {
        return switch (algorithm) {
            case ActivationAlgorithm.Auto auto -> create(ActivationAlgorithm.Auto.PROVISIONAL, asymmetric);
            case ActivationAlgorithm.Ifmr i ->
                new IfmrObserver(
                        new IfmrObserver.Search(
                                i.maxPercentile(),
                                i.minPercentile(),
                                i.searchRangeStart(),
                                i.searchRangeEnd(),
                                i.searchStep()),
                        asymmetric);
            case ActivationAlgorithm.Hfmg h -> new HfmgObserver(h.numOfBins(), asymmetric);
            case ActivationAlgorithm.MinMax m -> new MinMaxObserver();
            case ActivationAlgorithm.Percentile p -> new PercentileObserver(p.percentile(), asymmetric);
            case ActivationAlgorithm.Kl k -> new KlObserver(k.numOfBins());
        };
    }

    /**
     * A short label for the algorithms of a run: the {@code act_algo} name when all layers use one (e.g. {@code
     * ifmr}), else {@code mixed: } and each name with its layer count in name order (e.g. {@code mixed: hfmg (1),
     * ifmr (4)}); {@code none} for no layer.
     */
    public static String describe(List<ActivationAlgorithm> perLayer) {
        Map<String, Long> counts = new TreeMap<>(
                perLayer.stream().collect(Collectors.groupingBy(a -> a.algo().jsonName(), Collectors.counting())));
        if (counts.isEmpty()) return "none";
        if (counts.size() == 1) return counts.keySet().iterator().next();
        return counts.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", ", "mixed: ", ""));
    }
}
