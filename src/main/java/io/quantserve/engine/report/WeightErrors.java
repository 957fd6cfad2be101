package io.quantserve.engine.report;

import io.quantserve.engine.layers.QuantizableLayer;
import io.quantserve.engine.onnx.GraphScopes;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.quant.LayerQuantization;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.engine.weights.ChannelLayout;
import org.jspecify.annotations.Nullable;

/**
 * The error of a layer's INT8 weight {@code q·scale_w[c]} (as exported, after any bias-policy scale change)
 * against its float weight, per output channel: SQNR, largest error relative to the channel's largest weight, and
 * the mean relative error of the whole tensor.
 */
final class WeightErrors {
    private WeightErrors() {}

    /** The weight summary of {@code lq}; null for a layer without weight (AveragePool). */
    static QualityReport.@Nullable Weight measure(OnnxModel floatModel, LayerQuantization lq) {
        QuantizableLayer layer = lq.layer();
        Tensor int8 = lq.weight();
        if (!layer.type().hasWeight() || int8 == null || layer.weight() == null) return null;
        String weightName = layer.weight();
        Tensor weight = floatModel.tensor(GraphScopes.initializer(floatModel.proto(), layer.scope(), weightName)
                .orElseThrow(() -> new IllegalArgumentException("layer '" + layer.name() + "': no initializer '"
                        + weightName + "' visible from scope '" + layer.scope() + "'"))
                .tensor());
        float[] w = weight.toFloats();
        float[] q = int8.toFloats();
        float[] scales = lq.weightScales();
        ChannelLayout layout = new ChannelLayout(layer);
        int channels = layout.channels();
        double[] signal = new double[channels];
        double[] noise = new double[channels];
        double[] maxW = new double[channels];
        double[] maxE = new double[channels];
        double sumAbsW = 0;
        double sumAbsE = 0;
        for (int i = 0; i < w.length; i++) {
            int c = layout.channelOf(i);
            float s = scales.length == 1 ? scales[0] : scales[c];
            double e = (double) w[i] - (double) q[i] * s;
            signal[c] += (double) w[i] * w[i];
            noise[c] += e * e;
            maxW[c] = Math.max(maxW[c], Math.abs(w[i]));
            maxE[c] = Math.max(maxE[c], Math.abs(e));
            sumAbsW += Math.abs(w[i]);
            sumAbsE += Math.abs(e);
        }
        double totalSignal = 0;
        double totalNoise = 0;
        int zero = 0;
        int worst = -1;
        double worstDb = Double.POSITIVE_INFINITY;
        double maxRel = 0;
        for (int c = 0; c < channels; c++) {
            totalSignal += signal[c];
            totalNoise += noise[c];
            if (maxW[c] == 0) {
                zero++;
                continue;
            }
            double db = noise[c] == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signal[c] / noise[c]);
            if (worst < 0 || db < worstDb) {
                worst = c;
                worstDb = db;
            }
            maxRel = Math.max(maxRel, maxE[c] / maxW[c]);
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float s : scales) {
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        return new QualityReport.Weight(
                new QualityReport.ScaleSummary(scales.length, min, max),
                channels,
                zero,
                ReportNumbers.decibels(totalSignal, totalNoise),
                worst,
                worst < 0 ? null : ReportNumbers.decibels(worstDb),
                ReportNumbers.rounded(maxRel),
                ReportNumbers.rounded(sumAbsW == 0 ? 0 : sumAbsE / sumAbsW));
    }
}
