package io.quantserve.engine.calibration.data;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.runtime.ValueSpec;
import io.quantserve.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.SequencedMap;
import java.util.stream.Collectors;

/** {@link CalibrationData} over NumPy arrays ({@code .npz} or {@code .npy}), the first axis counting samples. */
final class ArrayCalibrationData implements CalibrationData {
    private final ArraySource source;

    ArrayCalibrationData(ArraySource source) {
        this.source = source;
    }

    /** One model input bound to the array that feeds it. */
    private record Binding(ValueSpec input, ArrayInfo array, DtypeConversion conversion) {
        String label() {
            return "model input '" + input.name() + "' (array '" + array.name() + "')";
        }
    }

    @Override
    public DatasetDescription describe() {
        List<ArrayInfo> arrays = source.arrays();
        long[] firstAxes = arrays.stream()
                .mapToLong(a -> a.shape().length == 0 ? -1 : a.shape()[0])
                .distinct()
                .toArray();
        OptionalLong samples =
                firstAxes.length == 1 && firstAxes[0] >= 0 ? OptionalLong.of(firstAxes[0]) : OptionalLong.empty();
        return new DatasetDescription(source.format(), arrays, samples);
    }

    @Override
    public DataFit check(List<ValueSpec> inputs) {
        List<Binding> bindings = bind(inputs);
        return new DataFit(
                bindings.getFirst().array().sampleCount(),
                bindings.stream()
                        .map(b -> new InputSource(
                                b.input().name(),
                                b.array().name(),
                                b.array().type(),
                                b.input().type()))
                        .toList());
    }

    @Override
    public BatchStream batches(List<ValueSpec> inputs, BatchPlan plan) {
        List<Binding> bindings = bind(inputs);
        boolean fixed = fixedBatch(bindings, plan);
        BatchSchedule schedule = BatchSchedule.of(bindings.getFirst().array().sampleCount(), plan, fixed, "the data");
        return new Stream(bindings, schedule);
    }

    private List<Binding> bind(List<ValueSpec> inputs) {
        if (inputs.isEmpty()) {
            throw new InvalidDataException("the model takes no inputs; there is nothing to feed");
        }
        List<ArrayInfo> arrays = source.arrays();
        List<Binding> out = new ArrayList<>();
        for (ValueSpec input : inputs) {
            if (input.type() == null) {
                throw new InvalidDataException(
                        "model input '" + input.name() + "' is not a tensor; it cannot be fed from NumPy arrays");
            }
            ArrayInfo array = arrays.stream()
                    .filter(a -> a.name().equals(input.name()))
                    .findFirst()
                    .orElseGet(() -> inputs.size() == 1 && arrays.size() == 1 ? arrays.getFirst() : null);
            if (array == null) {
                throw new InvalidDataException("no array for model input '" + input.name() + "'; the data holds "
                        + arrays + ": name each array after the model input it feeds (model inputs: "
                        + inputs.stream().map(ValueSpec::name).toList() + ")");
            }
            checkShape(input, array);
            out.add(new Binding(
                    input, array, DtypeConversion.between(array.type(), input.type(), input.name(), array.name())));
        }
        long samples = out.getFirst().array().sampleCount();
        if (out.stream().anyMatch(b -> b.array().sampleCount() != samples)) {
            throw new InvalidDataException("model inputs need the same number of samples, the arrays differ: "
                    + out.stream()
                            .map(b -> b.input().name() + " <- '" + b.array().name() + "' "
                                    + b.array().sampleCount())
                            .collect(Collectors.joining(", ")));
        }
        if (samples == 0) {
            throw new InvalidDataException("the data holds no samples: "
                    + out.stream().map(b -> b.array().toString()).collect(Collectors.joining(", ")));
        }
        return out;
    }

    private static void checkShape(ValueSpec input, ArrayInfo array) {
        long[] model = input.shape();
        long[] data = array.shape();
        String expected = expectedShape(model);
        if (model.length == 0) {
            throw new InvalidDataException("model input '" + input.name()
                    + "' is a scalar with no batch axis; feed it from a test-data folder"
                    + " (test_data_set_<i>/input_<k>.pb) instead of array '" + array.name() + "'");
        }
        boolean fits = data.length == model.length;
        for (int i = 1; fits && i < model.length; i++) {
            fits = model[i] <= 0 || model[i] == data[i];
        }
        if (!fits) {
            throw new InvalidDataException("model input '" + input.name() + "' expects shape " + expected
                    + " (first axis = samples, ? = any) but array '" + array.name() + "' has shape "
                    + Arrays.toString(data));
        }
    }

    private static String expectedShape(long[] model) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < model.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(i == 0 ? "N" : model[i] > 0 ? Long.toString(model[i]) : "?");
        }
        return sb.append(']').toString();
    }

    /** Whether the model fixes its batch dimension; then the batch size must equal it. */
    private static boolean fixedBatch(List<Binding> bindings, BatchPlan plan) {
        boolean fixed = false;
        for (Binding b : bindings) {
            long dim = b.input().shape()[0];
            if (dim > 0) {
                if (dim != plan.batchSize()) {
                    throw new InvalidConfigException("model input '" + b.input().name()
                            + "' has a fixed batch dimension of " + dim + "; use batch size " + dim + " (asked for "
                            + plan.batchSize() + ")");
                }
                fixed = true;
            }
        }
        return fixed;
    }

    @Override
    public void close() {
        source.close();
    }

    private final class Stream implements BatchStream {
        private final List<Binding> bindings;
        private final List<NpyRowReader> readers = new ArrayList<>();
        private final BatchSchedule schedule;
        private int delivered;
        private long nextSample;

        Stream(List<Binding> bindings, BatchSchedule schedule) {
            this.bindings = bindings;
            this.schedule = schedule;
            try {
                for (Binding b : bindings) {
                    readers.add(source.rows(b.array().name()));
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public BatchSchedule schedule() {
            return schedule;
        }

        @Override
        public boolean hasNext() {
            return delivered < schedule.batches();
        }

        @Override
        public SequencedMap<String, Tensor> next() {
            if (!hasNext()) {
                throw new NoSuchElementException("all " + schedule.batches() + " batches were delivered");
            }
            if (readers.size() != bindings.size()) {
                throw new IllegalStateException("the batch stream is closed");
            }
            int size = (int) Math.min(schedule.batchSize(), schedule.usedSamples() - nextSample);
            SequencedMap<String, Tensor> batch = new LinkedHashMap<>();
            for (int i = 0; i < bindings.size(); i++) {
                Binding b = bindings.get(i);
                Tensor raw = readers.get(i).next(size);
                FiniteCheck.require(raw, size, nextSample, b.label());
                Tensor fed = b.conversion().apply(raw, b.input().type(), nextSample, b.label());
                batch.put(b.input().name(), fed);
            }
            nextSample += size;
            delivered++;
            return Collections.unmodifiableSequencedMap(batch);
        }

        @Override
        public void close() {
            RuntimeException failure = null;
            for (NpyRowReader r : readers) {
                try {
                    r.close();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            readers.clear();
            if (failure != null) {
                throw failure;
            }
        }
    }
}
