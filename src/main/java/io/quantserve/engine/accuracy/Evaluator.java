package io.quantserve.engine.accuracy;

import io.quantserve.engine.calibration.data.BatchPlan;
import io.quantserve.engine.calibration.data.BatchStream;
import io.quantserve.engine.calibration.data.CalibrationData;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.runtime.ValueSpec;
import io.quantserve.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import org.jspecify.annotations.Nullable;

/**
 * Runs models over the whole evaluation set, batch by batch (memory bounded by a batch), and scores them with the
 * metric. The float model goes first; when the metric compares with it, its outputs are kept in a scratch file
 * ({@link FloatOutputs}) and fed to the scorer of every later model along with the same batch. A model whose
 * first input fixes the batch dimension runs in batches of that size (a partial last batch is then left out).
 */
final class Evaluator {
    private final Path evaluationSet;
    private final int batchSize;
    private final AccuracyMetric metric;
    private final FloatOutputs floatOutputs;
    private boolean floatDone;

    /**
     * @param scratch a file the float outputs may be written to
     */
    Evaluator(Path evaluationSet, int batchSize, AccuracyMetric metric, Path scratch) {
        this.evaluationSet = evaluationSet;
        this.batchSize = batchSize;
        this.metric = metric;
        this.floatOutputs = new FloatOutputs(scratch);
    }

    /** The float model's value; must come first. */
    double evaluateFloat(Path model) {
        if (!metric.comparesWithFloat()) {
            floatDone = true;
            return run(model, null, null);
        }
        try (FloatOutputs.Writer writer = floatOutputs.writer()) {
            double v = run(model, writer, null);
            floatDone = true;
            return v;
        }
    }

    /** A quantized model's value, compared with the float model's outputs where the metric needs them. */
    double evaluate(Path model) {
        if (!floatDone) throw new IllegalStateException("evaluate the float model first");
        if (!metric.comparesWithFloat()) return run(model, null, null);
        try (FloatOutputs.Reader reader = floatOutputs.reader()) {
            return run(model, null, reader);
        }
    }

    private double run(Path model, FloatOutputs.@Nullable Writer writer, FloatOutputs.@Nullable Reader reader) {
        try (InferenceSession session = InferenceSession.open(model, SessionSettings.defaults());
                CalibrationData data = CalibrationData.open(evaluationSet)) {
            List<ValueSpec> inputs = session.inputs();
            List<String> wanted = metric.outputs(
                    session.outputs().stream().map(ValueSpec::name).toList());
            long[] first = inputs.getFirst().shape();
            int size = first.length > 0 && first[0] > 0 ? Math.toIntExact(first[0]) : batchSize;
            long samples = data.check(inputs).sampleCount();
            int batches = Math.toIntExact((samples + size - 1) / size);
            AccuracyMetric.Scorer scorer = metric.scorer();
            long position = 0;
            try (BatchStream stream = data.batches(inputs, new BatchPlan(size, batches))) {
                while (stream.hasNext()) {
                    SequencedMap<String, Tensor> feed = stream.next();
                    Map<String, Tensor> out = session.run(feed, wanted);
                    Map<String, Tensor> reference = Map.of();
                    if (writer != null) {
                        writer.add(out);
                        reference = out;
                    } else if (reader != null) {
                        reference = reader.next();
                    }
                    scorer.add(position, out, reference);
                    Tensor any = feed.firstEntry().getValue();
                    position += any.rank() == 0 ? 1 : any.dim(0);
                }
            }
            return scorer.value();
        }
    }
}
