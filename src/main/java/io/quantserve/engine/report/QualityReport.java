package io.quantserve.engine.report;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The content of {@code report.json}, one record per JSON object; keys are the component names in snake_case, in
 * declaration order. Every number is finite: metrics that could not be measured are {@code null} and the
 * {@code status} next to them says why. Decibel values are clamped to ±{@link ReportNumbers#DB_LIMIT} (an
 * error-free comparison reads +200 dB); other doubles carry 6 significant digits, cosines 9 decimals, scales their
 * exact float32 value.
 *
 * @param schemaVersion incremented when a key changes meaning or disappears
 * @param model the model's base name
 * @param mode {@code quantize} or {@code save}
 * @param activationAlgorithm the range method that produced the activation factors
 * @param replay how the activation metrics were measured
 * @param layers one entry per quantized layer, in graph order
 * @param sensitivity the layers ranked by quantization error, with suggested skip layers
 * @param floatLayers quantizable layers left in float, each with its reason
 * @param notes the run's notes
 */
public record QualityReport(
        int schemaVersion,
        String model,
        String mode,
        String activationAlgorithm,
        Replay replay,
        List<Layer> layers,
        Sensitivity sensitivity,
        List<String> floatLayers,
        List<String> notes) {
    /** The current {@link #schemaVersion}. */
    public static final int SCHEMA_VERSION = 1;

    /** This report with {@code notes} in place of its own (notes written after the replay, such as its checks'). */
    public QualityReport withNotes(List<String> notes) {
        return new QualityReport(
                schemaVersion, model, mode, activationAlgorithm, replay, layers, sensitivity, floatLayers, notes);
    }

    public QualityReport {
        layers = List.copyOf(layers);
        floatLayers = List.copyOf(floatLayers);
        notes = List.copyOf(notes);
    }

    /**
     * The replay behind the activation metrics: the retained calibration batches run through the float model (layer
     * inputs, float outputs and each layer quantized alone) and through the fake-quant model (outputs).
     *
     * @param batches batches replayed; 0 without data
     * @param status {@code measured} or {@code not measured: <reason>}
     */
    public record Replay(int batches, String status) {}

    /**
     * One quantized layer.
     *
     * @param index position in graph order, from 0
     * @param name the node name (the key of the config and the record)
     * @param opType the ONNX operator
     * @param scope {@code ""} for the main graph, else the subgraph path ({@code If_0/then_branch})
     * @param activation the input's quantization factors and the clip range they imply
     * @param weight weight factors and quantization error; null for AveragePool (no weight)
     * @param bias INT32 bias headroom; null when the layer has no bias
     * @param input the input's values on the replayed batches against the clip range
     * @param output the output's error against the float model
     * @param flags degenerate or suspicious ranges, see {@link Flag}
     */
    public record Layer(
            int index,
            String name,
            String opType,
            String scope,
            Activation activation,
            @Nullable Weight weight,
            @Nullable Bias bias,
            Input input,
            Output output,
            List<Flag> flags) {
        public Layer {
            flags = List.copyOf(flags);
        }
    }

    /**
     * Activation factors ({@code scale_d}, {@code offset_d}) and the input range they represent without clipping,
     * {@code [(−128 − offset_d)·scale_d, (127 − offset_d)·scale_d]}, in input units.
     */
    public record Activation(float scaleD, int offsetD, double clipMin, double clipMax) {}

    /**
     * Weight factors and the error of the INT8 weight {@code q·scale_w} against the float weight.
     *
     * @param scaleW summary of the {@code scale_w} values
     * @param channels output channels of the weight
     * @param zeroChannels channels whose float weights are all 0 (no error, no SQNR)
     * @param sqnrDb {@code 10·log10(ΣW² / Σ(W − q·s)²)} over the whole tensor
     * @param worstChannel the channel with the lowest SQNR (lowest index on ties); -1 when every channel is zero
     * @param worstChannelSqnrDb that channel's SQNR
     * @param maxRelError the largest {@code max|W − q·s| / max|W|} of any channel (≤ 1/254 for plain ARQ)
     * @param meanRelError {@code Σ|W − q·s| / Σ|W|} over the whole tensor
     */
    public record Weight(
            ScaleSummary scaleW,
            int channels,
            int zeroChannels,
            @Nullable Double sqnrDb,
            int worstChannel,
            @Nullable Double worstChannelSqnrDb,
            double maxRelError,
            double meanRelError) {}

    /** Count, smallest and largest of a layer's {@code scale_w} values. */
    public record ScaleSummary(int count, float min, float max) {}

    /**
     * INT32 bias headroom.
     *
     * @param maxAbsInt32 largest {@code |bias_int32|}
     * @param int32RangeUsed {@code maxAbsInt32 / 2^31}: the fraction of the INT32 range the bias uses
     */
    public record Bias(long maxAbsInt32, double int32RangeUsed) {}

    /**
     * The layer input on the replayed batches (float model).
     *
     * @param status {@code measured} or {@code not measured: <reason>}
     * @param values values seen
     * @param clipRatio fraction of values the quantizer saturates ({@code round(x/scale_d) + offset_d} outside
     *     [-128, 127], i.e. more than half a step outside {@code [clipMin, clipMax]}); null when no value was seen
     * @param below saturated values below {@code clipMin}
     * @param above saturated values above {@code clipMax}
     * @param observedMin smallest value seen
     * @param observedMax largest value seen
     * @param histogram the values' distribution
     */
    public record Input(
            String status,
            long values,
            @Nullable Double clipRatio,
            long below,
            long above,
            @Nullable Double observedMin,
            @Nullable Double observedMax,
            @Nullable Histogram histogram) {}

    /**
     * A histogram of {@code counts.length} equal bins over {@code [lo, hi)} (the last bin includes {@code hi}). It
     * starts at the layer's clip range and doubles its width towards any value outside, so it covers every value
     * seen and the clip range.
     */
    public record Histogram(double lo, double hi, long[] counts) {
        public Histogram {
            counts = counts.clone();
        }

        @Override
        public long[] counts() {
            return counts.clone();
        }

        /** Equal when the range and every count are equal. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Histogram h
                    && Double.compare(lo, h.lo) == 0
                    && Double.compare(hi, h.hi) == 0
                    && Arrays.equals(counts, h.counts);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Double.hashCode(lo) + Double.hashCode(hi)) + Arrays.hashCode(counts);
        }

        @Override
        public String toString() {
            return "Histogram[lo=" + lo + ", hi=" + hi + ", counts=" + Arrays.toString(counts) + "]";
        }
    }

    /**
     * The layer output against the same tensor of the float model on the replayed batches.
     *
     * @param status {@code measured} or {@code not measured: <reason>}
     * @param tensor the output tensor's name (the same in both models)
     * @param sqnrDb SQNR in the fake-quant model, every layer before it quantized too: {@code 10·log10(Σref² /
     *     Σ(ref − q)²)} over all values
     * @param cosine cosine similarity per sample (first axis), averaged
     * @param isolatedSqnrDb SQNR of the layer quantized alone, on the float model's input: its own error
     * @param isolatedCosine cosine of the layer quantized alone
     */
    public record Output(
            String status,
            String tensor,
            @Nullable Double sqnrDb,
            @Nullable Double cosine,
            @Nullable Double isolatedSqnrDb,
            @Nullable Double isolatedCosine) {}

    /**
     * The layers ranked by quantization error, worst first.
     *
     * @param basis the metric ranked: {@code isolated_output_sqnr_db} with data, {@code weight_sqnr_db} without
     * @param rule how suggested skip layers are chosen, in words
     * @param medianDb median of the basis over the ranked layers
     * @param thresholdDb layers below this are suggested for skipping
     * @param ranking every layer that has a value of the basis, worst first (graph order on ties)
     * @param suggestedSkipLayers layers to consider for {@code skip_layers}, worst first
     */
    public record Sensitivity(
            String basis,
            String rule,
            @Nullable Double medianDb,
            @Nullable Double thresholdDb,
            List<Ranked> ranking,
            List<String> suggestedSkipLayers) {
        public Sensitivity {
            ranking = List.copyOf(ranking);
            suggestedSkipLayers = List.copyOf(suggestedSkipLayers);
        }
    }

    /**
     * One ranked layer.
     *
     * @param rank 1 for the worst layer
     * @param name the layer
     * @param sqnrDb the basis value
     * @param amctScore AMCT's similarity score {@code 0.5 + 0.5·cosine} of the isolated output; null without data
     * @param suggestedSkip whether the layer is below the threshold
     */
    public record Ranked(
            int rank, String name, double sqnrDb, @Nullable Double amctScore, boolean suggestedSkip) {}

    /** Degenerate or suspicious ranges; each is written as its {@link #code()}. */
    public enum Flag {
        /** {@code scale_d} is exactly 1 with offset 0: AMCT's value for an input that was all zero in calibration. */
        UNIT_SCALE_D("scale-d-is-1"),
        /** The quantizer saturates more than {@link LayerFlags#CLIP_RATIO_LIMIT} of the replayed input values. */
        HIGH_CLIP_RATIO("clip-ratio-above-1-percent"),
        /** The replayed input spans fewer than {@link LayerFlags#MIN_LEVELS} of the 256 quantization levels. */
        FEW_LEVELS_USED("few-levels-used"),
        /** At least one output channel of the weight is all zero ({@code scale_w = 1} by AMCT's rule). */
        ZERO_WEIGHT_CHANNEL("zero-weight-channel"),
        /** The INT32 bias uses more than {@link LayerFlags#BIAS_RANGE_LIMIT} of the INT32 range. */
        BIAS_NEAR_INT32_LIMIT("bias-near-int32-limit"),
        /** The replay saw NaN or infinity in the layer's input or output. */
        NON_FINITE_VALUES("non-finite-values");

        private final String code;

        Flag(String code) {
            this.code = code;
        }

        /** The stable name written to JSON. */
        @JsonValue
        public String code() {
            return code;
        }
    }
}
