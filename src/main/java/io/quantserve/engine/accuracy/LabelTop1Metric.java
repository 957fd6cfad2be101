package io.quantserve.engine.accuracy;

import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.calibration.data.ArrayInfo;
import io.quantserve.engine.calibration.data.NpzArchive;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Top-1 accuracy in % of one output's arg-max (last axis) against an integer labels array of the evaluation set,
 * which is read whole (one integer per arg-max row). A label outside the classes simply never matches.
 */
final class LabelTop1Metric implements AccuracyMetric {
    private static final Set<DataType> INTEGER_TYPES = EnumSet.of(
            DataType.INT8,
            DataType.UINT8,
            DataType.INT16,
            DataType.UINT16,
            DataType.INT32,
            DataType.UINT32,
            DataType.INT64,
            DataType.UINT64);

    private final String name;
    private final String unit;
    private final String labelsName;
    private final long[] labels;
    private final long perSample;
    private final @Nullable String output;

    private LabelTop1Metric(
            String name, String unit, String labelsName, long[] labels, long perSample, @Nullable String output) {
        this.name = name;
        this.unit = unit;
        this.labelsName = labelsName;
        this.labels = labels;
        this.perSample = perSample;
        this.output = output;
    }

    /**
     * @throws InvalidDataException when {@code evaluationSet} is not an {@code .npz} file holding an integer array
     *     {@code labelsName} with at least one sample
     */
    static LabelTop1Metric read(
            String name, String unit, Path evaluationSet, String labelsName, @Nullable String output) {
        if (!Files.isRegularFile(evaluationSet)) {
            throw new InvalidDataException("evaluation set '" + evaluationSet + "' is not a file; metric " + name
                    + " reads its labels from an array of an .npz file");
        }
        try (NpzArchive archive = NpzArchive.open(evaluationSet)) {
            ArrayInfo info = archive.arrays().stream()
                    .filter(a -> a.name().equals(labelsName))
                    .findFirst()
                    .orElseThrow(() -> new InvalidDataException("evaluation set '" + evaluationSet
                            + "' has no labels array '" + labelsName + "'; it holds "
                            + archive.arrays().stream().map(ArrayInfo::name).toList()
                            + " (name the labels array explicitly)"));
            if (!INTEGER_TYPES.contains(info.type())) {
                throw new InvalidDataException("labels array '" + labelsName + "' of '" + evaluationSet + "' is "
                        + info.type().displayName() + "; class labels must be integers");
            }
            long samples = info.sampleCount();
            if (info.shape().length == 0 || samples == 0) {
                throw new InvalidDataException("labels array '" + labelsName + "' of '" + evaluationSet
                        + "' must be [N, …] with N > 0, got " + Arrays.toString(info.shape()));
            }
            long[] values = archive.read(labelsName).toLongs();
            return new LabelTop1Metric(name, unit, labelsName, values, values.length / samples, output);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String unit() {
        return unit;
    }

    @Override
    public List<String> outputs(List<String> modelOutputs) {
        return OutputChoice.resolve(output, modelOutputs);
    }

    @Override
    public boolean comparesWithFloat() {
        return false;
    }

    @Override
    public Scorer scorer() {
        return new Scorer() {
            private long rows;
            private long hits;

            @Override
            public void add(long firstSample, Map<String, Tensor> outputs, Map<String, Tensor> floatOutputs) {
                var entry = outputs.entrySet().iterator().next();
                Tensor logits = entry.getValue();
                long[] shape = logits.shape();
                if (shape.length < 2 || shape[shape.length - 1] < 1 || shape[0] < 1) {
                    throw new InvalidDataException("metric " + name + " needs logits [N, …, C]; output '"
                            + entry.getKey() + "' is " + Arrays.toString(shape));
                }
                int classes = Math.toIntExact(shape[shape.length - 1]);
                float[] v = logits.toFloats();
                long batchRows = v.length / classes;
                if (batchRows != shape[0] * perSample) {
                    throw new InvalidDataException("labels array '" + labelsName + "' holds " + perSample
                            + " label(s) per sample but output '" + entry.getKey() + "' " + Arrays.toString(shape)
                            + " has " + batchRows / shape[0] + " arg-max row(s) per sample");
                }
                long first = firstSample * perSample;
                if (first + batchRows > labels.length) {
                    throw new InvalidDataException("labels array '" + labelsName + "' holds " + labels.length
                            + " labels, fewer than the evaluation set's samples need");
                }
                for (int r = 0; r < batchRows; r++) {
                    if (argmax(v, r * classes, classes) == labels[Math.toIntExact(first + r)]) hits++;
                }
                rows += batchRows;
            }

            @Override
            public double value() {
                if (rows == 0) throw new InvalidDataException("the evaluation set gave no batch to score");
                return 100.0 * hits / rows;
            }
        };
    }

    /** The first index of the largest value; NaN never wins. */
    private static int argmax(float[] v, int from, int count) {
        int best = 0;
        for (int i = 1; i < count; i++) if (v[from + i] > v[from + best]) best = i;
        return best;
    }
}
