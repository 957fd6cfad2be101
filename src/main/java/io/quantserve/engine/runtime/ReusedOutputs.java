package io.quantserve.engine.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.RuntimeFailureException;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Runs a session with its float outputs written by ONNX Runtime straight into direct buffers allocated once and reused
 * for every later run whose feeds have the same shapes (ONNX Runtime's pinned outputs). Without it each run copies
 * every output to a new heap array ({@code OnnxTensor.getByteBuffer}); for a calibration model exposing dozens of
 * multi-megabyte activations, that churn of humongous arrays made the garbage-collected heap, and so the process,
 * grow far beyond the data actually live.
 *
 * <p>The first run with a given set of feed shapes runs twice: once to learn the output shapes, copying no values
 * (a copy of every exposed activation is heap garbage the size of the model's activations, which made the garbage
 * collector grow the heap), then into the buffers allocated for them. When the feed shapes change (a short last batch)
 * the buffers are dropped and learned again. An output that is not a float tensor, or whose shape turns out to vary
 * with the values, not only the feed shapes (ONNX Runtime then refuses the pinned run), makes the runner fall back to
 * ordinary runs for good. Not thread-safe.
 *
 * <p>The tensors {@link #run} returns for pinned outputs are views of the reused buffers: valid until the next {@link
 * #run} or {@link #close}, which the caller must not outlive with them.
 */
public final class ReusedOutputs implements AutoCloseable {
    private final InferenceSession session;
    private final Map<String, Pinned> pinned = new LinkedHashMap<>();
    /** Owns the pinned buffers' memory: closing it frees them at once instead of at some later garbage collection. */
    private @Nullable Arena arena;

    private Map<String, long[]> feedShapes = Map.of();
    private boolean disabled;

    private record Pinned(long[] shape, ByteBuffer buffer, OnnxTensor tensor) {}

    ReusedOutputs(InferenceSession session, boolean reuse) {
        this.session = session;
        this.disabled = !reuse;
    }

    /** Runs and returns the requested outputs in the order asked for; see the class comment for their lifetime. */
    public Map<String, Tensor> run(Map<String, Tensor> feeds, List<String> wanted) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        feeds.forEach((k, v) -> shapes.put(k, v.shape()));
        if (disabled) return session.run(feeds, wanted);
        if (!sameShapes(shapes) || !pinned.keySet().containsAll(wanted)) {
            release();
            Map<String, long[]> outputShapes = session.floatOutputShapes(feeds, wanted);
            if (outputShapes == null || !pin(outputShapes, shapes)) {
                disabled = true;
                return session.run(feeds, wanted);
            }
        }
        Map<String, OnnxTensor> targets = new LinkedHashMap<>();
        for (String name : wanted) targets.put(name, pinned.get(name).tensor());
        try {
            session.run(feeds, wanted, targets);
        } catch (RuntimeFailureException | InvalidDataException e) {
            // An output whose shape depends on the values: pinned buffers cannot serve this model.
            disabled = true;
            release();
            return session.run(feeds, wanted);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : wanted) {
            Pinned p = pinned.get(name);
            out.put(
                    name,
                    Tensor.ofBytes(DataType.FLOAT, p.shape().clone(), p.buffer().duplicate()));
        }
        return out;
    }

    private boolean sameShapes(Map<String, long[]> shapes) {
        if (!shapes.keySet().equals(feedShapes.keySet())) return false;
        for (var e : shapes.entrySet()) {
            if (!Arrays.equals(e.getValue(), feedShapes.get(e.getKey()))) return false;
        }
        return true;
    }

    /** Allocates one direct buffer per output of {@code outputShapes}; false when that fails (the caller falls back). */
    private boolean pin(Map<String, long[]> outputShapes, Map<String, long[]> shapes) {
        arena = Arena.ofShared();
        try {
            for (var e : outputShapes.entrySet()) {
                long[] shape = e.getValue();
                ByteBuffer buffer = arena.allocate(Tensor.elementCount(shape) * 4, 64)
                        .asByteBuffer()
                        .order(ByteOrder.nativeOrder());
                OnnxTensor tensor =
                        OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), buffer.asFloatBuffer(), shape);
                pinned.put(e.getKey(), new Pinned(shape, buffer, tensor));
            }
        } catch (OrtException | UnsupportedOperationException | IllegalArgumentException e) {
            release(); // too large for one buffer, or refused: ordinary runs still work
            return false;
        }
        feedShapes = shapes;
        return true;
    }

    private void release() {
        pinned.values().forEach(p -> p.tensor().close());
        pinned.clear();
        feedShapes = Map.of();
        if (arena != null) {
            arena.close();
            arena = null;
        }
    }

    @Override
    public void close() {
        release();
    }
}
