package io.quantserve.engine.accuracy;

import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.CtcGreedyDecoder;
import io.quantserve.testing.OcrAccuracy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A task metric supplied by the caller, as {@link AccuracyMetric} allows: PP-OCRv3 rec's % of lines recognised
 * exactly (greedy CTC over output 0, {@link OcrAccuracy}'s comparison), against the expected lines in sample order.
 */
record OcrExactLinesMetric(CtcGreedyDecoder decoder, List<String> expected) implements AccuracyMetric {
    @Override
    public String name() {
        return "exact-lines";
    }

    @Override
    public String unit() {
        return "%";
    }

    @Override
    public List<String> outputs(List<String> modelOutputs) {
        return List.of(modelOutputs.getFirst());
    }

    @Override
    public boolean comparesWithFloat() {
        return false;
    }

    @Override
    public Scorer scorer() {
        List<String> predicted = new ArrayList<>(Collections.nCopies(expected.size(), (String) null));
        return new Scorer() {
            private int lines;

            @Override
            public void add(long firstSample, Map<String, Tensor> outputs, Map<String, Tensor> floatOutputs) {
                List<String> batch = decoder.decode(outputs.values().iterator().next());
                for (int i = 0; i < batch.size(); i++) predicted.set(Math.toIntExact(firstSample + i), batch.get(i));
                lines += batch.size();
            }

            @Override
            public double value() {
                if (lines != expected.size()) {
                    throw new IllegalStateException(lines + " lines scored, " + expected.size() + " expected");
                }
                return 100 * OcrAccuracy.of(predicted, expected).exactLineRate();
            }
        };
    }
}
