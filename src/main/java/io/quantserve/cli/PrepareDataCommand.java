package io.quantserve.cli;

import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.calibration.data.ArrayInfo;
import io.quantserve.engine.calibration.data.NpzArchive;
import io.quantserve.engine.calibration.data.NpzWriter;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.runtime.ValueSpec;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code prepare-data}: turns raw samples (e.g. uint8 pixels) into the float32 calibration array a model input
 * wants, {@code (x - mean) / std}, reshaped to the input's sample shape and keyed by the input's name. Calibration
 * refuses integer data for a float input because the scaling belongs to the model; this command is where a user
 * states it.
 */
@Command(
        name = "prepare-data",
        description = {
            "Write model-ready float32 calibration data: (x - mean) / std of one array of an .npz, reshaped to the",
            "model input's sample shape, saved under the input's name. MNIST CNN: --mean 127.5 --std 127.5"
        })
final class PrepareDataCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, description = "the ONNX model the data is for")
    Path model;

    @Option(names = "--data", required = true, description = "an .npz of raw samples, first axis = samples")
    Path data;

    @Option(names = "--array", description = "the array of --data to use (default: its only array)")
    String array;

    @Option(names = "--input", description = "the model input to feed (default: its only input)")
    String input;

    @Option(names = "--mean", description = "subtracted from every value (default ${DEFAULT-VALUE})")
    double mean = 0;

    @Option(names = "--std", description = "divides every value after the mean (default ${DEFAULT-VALUE})")
    double std = 1;

    @Option(names = "--limit", description = "keep the first N samples (default: all)")
    Long limit;

    @Option(names = "--out", required = true, description = "the .npz to write")
    Path out;

    /** What was written, printed as JSON. */
    record Prepared(String input, List<Long> shape, float min, float max) {}

    @Override
    public Integer call() {
        if (!(std > 0) || !Double.isFinite(mean)) {
            throw new InvalidDataException("--std must be > 0 and --mean finite, got mean " + mean + ", std " + std);
        }
        ValueSpec target = modelInput();
        Tensor raw;
        try (NpzArchive archive = NpzArchive.open(data)) {
            raw = archive.read(arrayName(archive));
        }
        if (raw.rank() < 1 || raw.dim(0) < 1) {
            throw new InvalidDataException(
                    data + ": the array holds no samples, shape " + Arrays.toString(raw.shape()));
        }
        long samples = limit == null ? raw.dim(0) : Math.min(limit, raw.dim(0));
        if (samples < 1) throw new InvalidDataException("--limit must be at least 1");
        Tensor kept = raw.slice0(0, samples);
        Tensor prepared = Tensor.ofFloats(sampleShape(kept, target), scaled(kept.toFloats()));
        SequencedMap<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put(target.name(), prepared);
        NpzWriter.write(out, arrays, true);
        float[] v = prepared.toFloats();
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float f : v) {
            min = Math.min(min, f);
            max = Math.max(max, f);
        }
        Json.print(
                spec.commandLine().getOut(),
                new Prepared(
                        target.name(), Arrays.stream(prepared.shape()).boxed().toList(), min, max));
        return 0;
    }

    private ValueSpec modelInput() {
        List<ValueSpec> inputs;
        try (InferenceSession s = InferenceSession.open(model, SessionSettings.defaults())) {
            inputs = s.inputs();
        }
        List<String> names = inputs.stream().map(ValueSpec::name).toList();
        ValueSpec chosen;
        if (input != null) {
            chosen = inputs.stream()
                    .filter(i -> i.name().equals(input))
                    .findFirst()
                    .orElseThrow(
                            () -> new InvalidDataException(model + " has no input '" + input + "'; inputs: " + names));
        } else if (inputs.size() == 1) {
            chosen = inputs.getFirst();
        } else {
            throw new InvalidDataException(model + " has several inputs " + names + ": name one with --input");
        }
        if (chosen.type() != DataType.FLOAT) {
            throw new InvalidDataException("input '" + chosen.name() + "' is " + chosen.type()
                    + ", not float: prepare-data writes float32 only");
        }
        return chosen;
    }

    private String arrayName(NpzArchive archive) {
        List<String> names = archive.arrays().stream().map(ArrayInfo::name).toList();
        if (array != null) {
            if (!names.contains(array))
                throw new InvalidDataException(data + " has no array '" + array + "'; arrays: " + names);
            return array;
        }
        if (names.size() == 1) return names.getFirst();
        throw new InvalidDataException(data + " holds several arrays " + names + ": name one with --array");
    }

    /**
     * The samples in the input's shape: {@code [N, d1, …]} when every sample dimension of the input is known and
     * holds as many values as one sample of the data (so u8[N,28,28] becomes f32[N,1,28,28]); the data's own shape
     * when the input has symbolic sample dimensions.
     */
    private static long[] sampleShape(Tensor data, ValueSpec input) {
        long[] modelShape = input.shape();
        long[] dataShape = data.shape();
        long perSample = Tensor.elementCount(Arrays.copyOfRange(dataShape, 1, dataShape.length));
        if (modelShape.length == 0) return dataShape;
        long[] sample = Arrays.copyOfRange(modelShape, 1, modelShape.length);
        if (Arrays.stream(sample).anyMatch(d -> d < 0)) return dataShape;
        if (Tensor.elementCount(sample) != perSample) {
            throw new InvalidDataException("one sample of the data has " + perSample + " values, shape "
                    + Arrays.toString(Arrays.copyOfRange(dataShape, 1, dataShape.length)) + ", but input '"
                    + input.name() + "' wants " + Arrays.toString(sample));
        }
        long[] shape = new long[sample.length + 1];
        shape[0] = dataShape[0];
        System.arraycopy(sample, 0, shape, 1, sample.length);
        return shape;
    }

    private float[] scaled(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (float) ((values[i] - mean) / std);
        return out;
    }
}
