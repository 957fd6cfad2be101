package io.quantserve.testing;

import io.quantserve.engine.calibration.data.BatchPlan;
import io.quantserve.engine.calibration.data.BatchStream;
import io.quantserve.engine.calibration.data.CalibrationData;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.runtime.ValueSpec;
import io.quantserve.engine.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SequencedMap;
import java.util.function.Function;

/**
 * Runs a model over every sample of a dataset file ({@code .npz} keyed by input name, read through {@link
 * CalibrationData}) batch by batch, with ONNX Runtime's default optimisations and deterministic kernels. A model
 * whose batch dimension is fixed runs in batches of that size.
 */
public final class ModelRunner {
    private ModelRunner() {}

    /** Receives each batch: what was fed and what came out (the outputs asked for, in that order). */
    @FunctionalInterface
    public interface BatchConsumer {
        void accept(SequencedMap<String, Tensor> feeds, Map<String, Tensor> outputs);
    }

    /** Feeds all samples of {@code data} to {@code model}, {@code batchSize} at a time, in file order. */
    public static void forEachBatch(Path model, Path data, int batchSize, BatchConsumer consumer) {
        run(
                model,
                data,
                batchSize,
                session -> session.outputs().stream().map(ValueSpec::name).toList(),
                consumer);
    }

    /**
     * Output {@code outputIndex} (model order) over all samples, batches concatenated along axis 0. Only that output
     * is computed.
     */
    public static Tensor output(Path model, Path data, int batchSize, int outputIndex) {
        List<Tensor> parts = new ArrayList<>();
        run(
                model,
                data,
                batchSize,
                session -> List.of(session.outputs().get(outputIndex).name()),
                (feeds, outputs) -> parts.add(outputs.values().iterator().next()));
        return concat(parts);
    }

    private static void run(
            Path model,
            Path data,
            int batchSize,
            Function<InferenceSession, List<String>> wanted,
            BatchConsumer consumer) {
        try (InferenceSession session = InferenceSession.open(model, SessionSettings.defaults());
                CalibrationData dataset = CalibrationData.open(data)) {
            List<ValueSpec> inputs = session.inputs();
            List<String> outputs = wanted.apply(session);
            int size = fixedBatch(inputs).orElse(batchSize);
            long samples = dataset.check(inputs).sampleCount();
            int batches = Math.toIntExact((samples + size - 1) / size);
            try (BatchStream stream = dataset.batches(inputs, new BatchPlan(size, batches))) {
                while (stream.hasNext()) {
                    SequencedMap<String, Tensor> feeds = stream.next();
                    consumer.accept(feeds, session.run(feeds, outputs));
                }
            }
        }
    }

    private static OptionalInt fixedBatch(List<ValueSpec> inputs) {
        long dim =
                inputs.getFirst().shape().length == 0 ? -1 : inputs.getFirst().shape()[0];
        return dim > 0 ? OptionalInt.of(Math.toIntExact(dim)) : OptionalInt.empty();
    }

    /** Tensors of equal type and trailing shape, stacked along axis 0. */
    public static Tensor concat(List<Tensor> parts) {
        Tensor first = parts.getFirst();
        long[] shape = first.shape();
        long rows = 0;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Tensor t : parts) {
            long[] s = t.shape();
            s[0] = shape[0];
            if (t.type() != first.type() || !Arrays.equals(s, shape)) {
                throw new IllegalArgumentException("cannot stack " + t + " onto " + first);
            }
            rows += t.dim(0);
            bytes.writeBytes(t.bytes());
        }
        shape[0] = rows;
        return Tensor.ofBytes(
                first.type(), shape, ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN));
    }
}
