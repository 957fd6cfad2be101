package io.quantserve.engine.config;

import io.quantserve.engine.InvalidConfigException;
import java.util.List;
import java.util.Set;

/**
 * How the activation range of a layer input is chosen from calibration data, with that algorithm's parameters.
 * Each record checks its parameters when built and throws {@link InvalidConfigException} naming the JSON key at
 * fault, so a value of this type is always valid.
 */
public sealed interface ActivationAlgorithm
        permits ActivationAlgorithm.Ifmr,
                ActivationAlgorithm.Hfmg,
                ActivationAlgorithm.MinMax,
                ActivationAlgorithm.Percentile,
                ActivationAlgorithm.Kl,
                ActivationAlgorithm.Auto {

    /** The histogram sizes AMCT allows for HFMG ({@code num_of_bins}); also used for KL. */
    Set<Integer> ALLOWED_BINS = Set.of(1024, 2048, 4096, 8192);

    /** The {@code act_algo} value naming this algorithm. */
    ActAlgo algo();

    /**
     * AMCT's default: IFMR.
     *
     * @return {@link Ifmr#DEFAULT}
     */
    static ActivationAlgorithm amctDefault() {
        return Ifmr.DEFAULT;
    }

    /**
     * The algorithm {@code algo} with its default parameters.
     *
     * @return e.g. {@link Ifmr#DEFAULT} for {@link ActAlgo#IFMR}
     */
    static ActivationAlgorithm withDefaults(ActAlgo algo) {
        return switch (algo) {
            case IFMR -> Ifmr.DEFAULT;
            case HFMG -> Hfmg.DEFAULT;
            case MINMAX -> new MinMax();
            case PERCENTILE -> Percentile.DEFAULT;
            case KL -> Kl.DEFAULT;
            case AUTO -> new Auto();
        };
    }

    /**
     * IFMR (AMCT's default): start from the clip values at the given percentiles of the sorted data, then scale
     * them by every ratio from {@code searchRangeStart} to {@code searchRangeEnd} in steps of {@code searchStep},
     * keeping the ratio with the smallest quantization MSE.
     *
     * @param maxPercentile {@code max_percentile}, in (0.5, 1]: the fraction of values at or below the upper clip
     * @param minPercentile {@code min_percentile}, in (0.5, 1]: the fraction of values at or above the lower clip
     * @param searchRangeStart {@code search_range[0]}, a ratio &gt; 0 and &lt; {@code searchRangeEnd}
     * @param searchRangeEnd {@code search_range[1]}, a finite ratio
     * @param searchStep {@code search_step}, &gt; 0 and at most {@code searchRangeEnd - searchRangeStart}; the
     *     search may try at most {@link #MAX_CANDIDATES} ratios
     */
    record Ifmr(
            double maxPercentile,
            double minPercentile,
            double searchRangeStart,
            double searchRangeEnd,
            double searchStep)
            implements ActivationAlgorithm {

        /** Upper bound on the number of ratios one search tries (a guard against a tiny {@code search_step}). */
        public static final int MAX_CANDIDATES = 10_000;

        /** AMCT's defaults: percentiles 0.999999, search range [0.7, 1.3], step 0.01. */
        public static final Ifmr DEFAULT = new Ifmr(0.999999, 0.999999, 0.7, 1.3, 0.01);

        public Ifmr {
            checkPercentile("max_percentile", maxPercentile);
            checkPercentile("min_percentile", minPercentile);
            if (!(searchRangeStart > 0 && searchRangeStart < searchRangeEnd && Double.isFinite(searchRangeEnd))) {
                throw new InvalidConfigException("search_range [" + searchRangeStart + ", " + searchRangeEnd
                        + "] must satisfy 0 < search_range[0] < search_range[1] (finite)");
            }
            double width = searchRangeEnd - searchRangeStart;
            if (!(searchStep > 0 && searchStep <= width)) {
                throw new InvalidConfigException("search_step " + searchStep
                        + " must satisfy 0 < search_step <= search_range[1] - search_range[0] (" + width + ")");
            }
            if (width / searchStep >= MAX_CANDIDATES) {
                throw new InvalidConfigException("search_step " + searchStep + " over search_range width " + width
                        + " gives more than " + MAX_CANDIDATES + " candidates; use a larger step");
            }
        }

        @Override
        public ActAlgo algo() {
            return ActAlgo.IFMR;
        }
    }

    /**
     * HFMG: a running histogram of {@code numOfBins} bins, then a search over clip windows minimising the
     * estimated L2 quantization error.
     *
     * @param numOfBins {@code num_of_bins}, one of {@link #ALLOWED_BINS}
     */
    record Hfmg(int numOfBins) implements ActivationAlgorithm {
        /** AMCT's default: 4096 bins. */
        public static final Hfmg DEFAULT = new Hfmg(4096);

        public Hfmg {
            checkBins(numOfBins);
        }

        @Override
        public ActAlgo algo() {
            return ActAlgo.HFMG;
        }
    }

    /** MinMax (QuantServe extension): the range is the observed minimum and maximum; no parameters. */
    record MinMax() implements ActivationAlgorithm {
        @Override
        public ActAlgo algo() {
            return ActAlgo.MINMAX;
        }
    }

    /**
     * Percentile (QuantServe extension): clip both tails at a percentile of the data.
     *
     * @param percentile {@code percentile}, in (0.5, 1]: the fraction of values kept inside each clip bound
     */
    record Percentile(double percentile) implements ActivationAlgorithm {
        /** Default: 0.99999 (clip the outermost 0.001 % on each side). */
        public static final Percentile DEFAULT = new Percentile(0.99999);

        public Percentile {
            checkPercentile("percentile", percentile);
        }

        @Override
        public ActAlgo algo() {
            return ActAlgo.PERCENTILE;
        }
    }

    /**
     * KL (QuantServe extension): the clip threshold minimising the Kullback-Leibler divergence between the
     * histogram of {@code numOfBins} bins and its quantized version (entropy calibration).
     *
     * @param numOfBins {@code num_of_bins}, one of {@link #ALLOWED_BINS}
     */
    record Kl(int numOfBins) implements ActivationAlgorithm {
        /** Default: 2048 bins. */
        public static final Kl DEFAULT = new Kl(2048);

        public Kl {
            checkBins(numOfBins);
        }

        @Override
        public ActAlgo algo() {
            return ActAlgo.KL;
        }
    }

    /**
     * Auto (QuantServe extension): each candidate of {@link #CANDIDATES} proposes a range from the same statistics;
     * the layer keeps the one whose quantized layer, computed alone on the first calibration batch(es), has the
     * smallest squared output error against the float layer. Until that measurement the layer uses {@link
     * #PROVISIONAL}, the first candidate. No parameters.
     */
    record Auto() implements ActivationAlgorithm {
        /**
         * The candidates, in order of preference on a tie: AMCT's default first, then the methods that each won on
         * one of the real models measured (README "Activation algorithms, measured").
         */
        public static final List<ActivationAlgorithm> CANDIDATES = List.of(
                Ifmr.DEFAULT, Hfmg.DEFAULT, new MinMax(), new Percentile(0.9999), Percentile.DEFAULT, Kl.DEFAULT);

        /** The range a layer with {@code auto} has before the selection measures it. */
        public static final ActivationAlgorithm PROVISIONAL = CANDIDATES.getFirst();

        @Override
        public ActAlgo algo() {
            return ActAlgo.AUTO;
        }
    }

    private static void checkPercentile(String key, double value) {
        if (!(value > 0.5 && value <= 1.0)) {
            throw new InvalidConfigException(key + " must lie in (0.5, 1], got " + value);
        }
    }

    private static void checkBins(int bins) {
        if (!ALLOWED_BINS.contains(bins)) {
            throw new InvalidConfigException("num_of_bins must be one of 1024, 2048, 4096, 8192, got " + bins);
        }
    }
}
