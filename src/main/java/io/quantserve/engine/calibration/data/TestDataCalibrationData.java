package io.quantserve.engine.calibration.data;

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

/**
 * {@link CalibrationData} over an ONNX Runtime test-data folder: set {@code i} is batch {@code i}, its
 * {@code input_<k>.pb} feeds model input {@code k}. Element types must match exactly (test data is written for its
 * model); fixed model dimensions must match.
 */
final class TestDataCalibrationData implements CalibrationData {
    private final OnnxTestDataFolder folder;

    TestDataCalibrationData(OnnxTestDataFolder folder) {
        this.folder = folder;
    }

    @Override
    public DatasetDescription describe() {
        return new DatasetDescription(
                DataFormat.ONNX_TEST_DATA, folder.allInputs(), OptionalLong.of(folder.setCount()));
    }

    @Override
    public DataFit check(List<ValueSpec> inputs) {
        validate(inputs);
        List<ArrayInfo> first = folder.inputs(0);
        List<InputSource> sources = new ArrayList<>();
        for (int k = 0; k < inputs.size(); k++) {
            ValueSpec in = inputs.get(k);
            sources.add(new InputSource(in.name(), "input_" + k, first.get(k).type(), in.type()));
        }
        return new DataFit(folder.setCount(), sources);
    }

    @Override
    public BatchStream batches(List<ValueSpec> inputs, BatchPlan plan) {
        validate(inputs);
        BatchSchedule schedule = BatchSchedule.of(
                folder.setCount(), new BatchPlan(1, plan.batchNum()), false, "'" + folder.folder() + "'");
        return new Stream(inputs, schedule);
    }

    private void validate(List<ValueSpec> inputs) {
        if (inputs.isEmpty()) {
            throw new InvalidDataException("the model takes no inputs; there is nothing to feed");
        }
        for (int i = 0; i < folder.setCount(); i++) {
            List<ArrayInfo> set = folder.inputs(i);
            if (set.size() != inputs.size()) {
                throw new InvalidDataException("test-data set " + i + " holds " + set.size() + " inputs (" + set
                        + ") but the model takes " + inputs.size() + " (" + inputs + ")");
            }
            for (int k = 0; k < inputs.size(); k++) {
                ValueSpec in = inputs.get(k);
                ArrayInfo data = set.get(k);
                if (in.type() != data.type()) {
                    throw new InvalidDataException("model input '" + in.name() + "' takes "
                            + (in.type() == null
                                    ? "a non-tensor value"
                                    : in.type().displayName()) + " but '"
                            + data.name() + "' holds " + data.type().displayName());
                }
                long[] model = in.shape();
                long[] shape = data.shape();
                boolean fits = model.length == shape.length;
                for (int d = 0; fits && d < model.length; d++) {
                    fits = model[d] <= 0 || model[d] == shape[d];
                }
                if (!fits) {
                    throw new InvalidDataException("model input '" + in.name() + "' expects shape "
                            + Arrays.toString(model) + " (-1 = any) but '" + data.name() + "' has shape "
                            + Arrays.toString(shape));
                }
            }
        }
    }

    @Override
    public void close() {
        // The folder keeps no file open between reads.
    }

    private final class Stream implements BatchStream {
        private final List<ValueSpec> inputs;
        private final BatchSchedule schedule;
        private int delivered;

        Stream(List<ValueSpec> inputs, BatchSchedule schedule) {
            this.inputs = List.copyOf(inputs);
            this.schedule = schedule;
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
                throw new NoSuchElementException("all " + schedule.batches() + " sets were delivered");
            }
            int set = delivered;
            List<Tensor> tensors = folder.readSet(set);
            List<ArrayInfo> infos = folder.inputs(set);
            SequencedMap<String, Tensor> batch = new LinkedHashMap<>();
            for (int k = 0; k < inputs.size(); k++) {
                String label = "model input '" + inputs.get(k).name() + "' ('"
                        + infos.get(k).name() + "')";
                FiniteCheck.require(tensors.get(k), 1, set, label);
                batch.put(inputs.get(k).name(), tensors.get(k));
            }
            delivered++;
            return Collections.unmodifiableSequencedMap(batch);
        }

        @Override
        public void close() {
            // Each set is read and closed within next().
        }
    }
}
