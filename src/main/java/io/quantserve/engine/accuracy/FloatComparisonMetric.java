package io.quantserve.engine.accuracy;

import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.engine.verify.MetricsAccumulator;
import io.quantserve.engine.verify.OutputMetrics;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Top-1 agreement, cosine or SQNR of one output against the float model, through {@link MetricsAccumulator}. */
record FloatComparisonMetric(BuiltInMetric kind, @Nullable String output) implements AccuracyMetric {
    @Override
    public String name() {
        return kind.cliName();
    }

    @Override
    public String unit() {
        return kind.unit();
    }

    @Override
    public List<String> outputs(List<String> modelOutputs) {
        return OutputChoice.resolve(output, modelOutputs);
    }

    @Override
    public boolean comparesWithFloat() {
        return true;
    }

    @Override
    public Scorer scorer() {
        return new Scorer() {
            private @Nullable MetricsAccumulator acc;

            @Override
            public void add(long firstSample, Map<String, Tensor> outputs, Map<String, Tensor> floatOutputs) {
                var entry = outputs.entrySet().iterator().next();
                if (acc == null) acc = new MetricsAccumulator(entry.getKey());
                Tensor reference = floatOutputs.get(entry.getKey());
                if (reference == null) {
                    throw new IllegalStateException(
                            "no float output '" + entry.getKey() + "' for the batch at sample " + firstSample);
                }
                acc.add(reference, entry.getValue());
            }

            @Override
            public double value() {
                if (acc == null) throw new InvalidDataException("the evaluation set gave no batch to score");
                OutputMetrics m = acc.result();
                return switch (kind) {
                    case TOP1_AGREEMENT -> {
                        if (Double.isNaN(m.top1Agreement())) {
                            throw new InvalidDataException("metric " + name() + " needs an output whose last axis "
                                    + "holds more than one class; output '" + m.output() + "' has none");
                        }
                        yield 100 * m.top1Agreement();
                    }
                    case COSINE -> m.cosine();
                    case SQNR -> m.sqnrDb();
                    case TOP1 -> throw new IllegalStateException("top1 is scored against labels");
                };
            }
        };
    }
}
