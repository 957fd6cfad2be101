package io.quantserve.engine.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.RuntimeFailureException;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One ONNX Runtime session over a model, fed and read with engine {@link Tensor}s. The only class family in
 * the engine that touches {@code ai.onnxruntime}; every {@link OrtException} is wrapped with what was being
 * run. Not thread-safe for {@link #close()}; {@link #run} may be called from several threads.
 */
public final class InferenceSession implements AutoCloseable {
    private final OrtSession session;
    private final String what;
    private final List<ValueSpec> inputs;
    private final List<ValueSpec> outputs;

    private InferenceSession(OrtSession session, String what) throws OrtException {
        this.session = session;
        this.what = what;
        this.inputs = describe(session.getInputInfo().values());
        this.outputs = describe(session.getOutputInfo().values());
    }

    /** Opens a model file; external data is resolved by ONNX Runtime relative to the file. */
    public static InferenceSession open(Path model, SessionSettings settings) {
        try (OrtSession.SessionOptions options = options(settings)) {
            return new InferenceSession(
                    OrtEnvironment.getEnvironment().createSession(model.toString(), options), model.toString());
        } catch (OrtException e) {
            throw new RuntimeFailureException("ONNX Runtime cannot load '" + model + "': " + e.getMessage(), e);
        }
    }

    /** Opens a serialized model held in memory (no external data). */
    public static InferenceSession open(byte[] model, String what, SessionSettings settings) {
        try (OrtSession.SessionOptions options = options(settings)) {
            return new InferenceSession(OrtEnvironment.getEnvironment().createSession(model, options), what);
        } catch (OrtException e) {
            throw new RuntimeFailureException("ONNX Runtime cannot load " + what + ": " + e.getMessage(), e);
        }
    }

    /** Version of the bundled ONNX Runtime, for provenance records. */
    public static String runtimeVersion() {
        return OrtEnvironment.getEnvironment().getVersion();
    }

    private static OrtSession.SessionOptions options(SessionSettings s) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setOptimizationLevel(
                s.optimize() ? OrtSession.SessionOptions.OptLevel.ALL_OPT : OrtSession.SessionOptions.OptLevel.NO_OPT);
        if (s.intraOpThreads() > 0) {
            o.setIntraOpNumThreads(s.intraOpThreads());
        }
        o.setDeterministicCompute(s.deterministic());
        if (!s.spinWait()) o.addConfigEntry("session.intra_op.allow_spinning", "0");
        // Warnings (unused initializers, type-inference notes on user models) are noise to our users and flood logs.
        o.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
        return o;
    }

    private static List<ValueSpec> describe(Collection<NodeInfo> infos) {
        List<ValueSpec> out = new ArrayList<>();
        for (NodeInfo info : infos) {
            if (info.getInfo() instanceof TensorInfo t) {
                out.add(new ValueSpec(info.getName(), fromOrt(t.type).orElse(null), t.getShape()));
            } else {
                out.add(new ValueSpec(info.getName(), null, new long[0]));
            }
        }
        return List.copyOf(out);
    }

    public List<ValueSpec> inputs() {
        return inputs;
    }

    public List<ValueSpec> outputs() {
        return outputs;
    }

    /** Runs all outputs. */
    public Map<String, Tensor> run(Map<String, Tensor> feeds) {
        return run(feeds, outputs.stream().map(ValueSpec::name).toList());
    }

    /** Runs and returns the requested outputs in the order asked for. */
    public Map<String, Tensor> run(Map<String, Tensor> feeds, List<String> wanted) {
        return run(feeds, wanted, Map.of());
    }

    /**
     * Runs with {@code pinned} outputs written by ONNX Runtime into the given tensors (their buffers are the caller's
     * and are not copied); the other {@code wanted} outputs come back as heap copies. The result holds only the
     * non-pinned outputs.
     */
    Map<String, Tensor> run(Map<String, Tensor> feeds, List<String> wanted, Map<String, OnnxTensor> pinned) {
        return execute(feeds, wanted, pinned, (result, requested) -> {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (String name : requested) out.put(name, fromOrt(tensorOf(result, name)));
            return out;
        });
    }

    /**
     * Runs and returns the shape of each {@code wanted} output without copying its values, when all of them are float
     * tensors; null when one is not. A runner learns from it the buffers to pin (a copy of every exposed activation
     * would be heap garbage of the model's whole activation size).
     */
    @Nullable
    Map<String, long[]> floatOutputShapes(Map<String, Tensor> feeds, List<String> wanted) {
        return execute(feeds, wanted, Map.of(), (result, requested) -> {
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (String name : requested) {
                TensorInfo info = tensorOf(result, name).getInfo();
                if (info.type != OnnxJavaType.FLOAT) return null;
                shapes.put(name, info.getShape());
            }
            return shapes;
        });
    }

    /** Reads what a run computed, while its native outputs are alive. */
    @FunctionalInterface
    private interface ResultReader<R> {
        R read(OrtSession.Result result, Set<String> requested) throws OrtException;
    }

    private <R> R execute(
            Map<String, Tensor> feeds, List<String> wanted, Map<String, OnnxTensor> pinned, ResultReader<R> reader) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> ortFeeds = new LinkedHashMap<>();
        // The feeds' native copies live exactly as long as the run: freed when it returns, not at a later GC.
        Arena feedMemory = Arena.ofConfined();
        try {
            for (var e : feeds.entrySet()) {
                ortFeeds.put(e.getKey(), toOrt(env, e.getValue(), feedMemory));
            }
            Set<String> requested = new LinkedHashSet<>(wanted);
            requested.removeAll(pinned.keySet());
            try (OrtSession.Result result = session.run(ortFeeds, requested, pinned)) {
                return reader.read(result, requested);
            }
        } catch (OrtException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            if (e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT) {
                throw new InvalidDataException(what + " rejected the input: " + msg, e);
            }
            throw new RuntimeFailureException("ONNX Runtime failed running " + what + ": " + msg, e);
        } finally {
            ortFeeds.values().forEach(OnnxTensor::close);
            feedMemory.close();
        }
    }

    private OnnxTensor tensorOf(OrtSession.Result result, String name) {
        Optional<OnnxValue> v = result.get(name);
        if (v.isEmpty() || !(v.get() instanceof OnnxTensor t)) {
            throw new RuntimeFailureException(
                    what + ": output '" + name + "' is not a tensor ONNX Runtime can hand back", null);
        }
        return t;
    }

    /**
     * A runner over this session that writes float outputs into direct buffers it keeps and reuses from one run to
     * the next, for loops that read every batch's outputs once and drop them (calibration). Close it before the
     * session.
     *
     * @param reuse false for a runner that makes ordinary runs: for models whose output shapes may change with the
     *     values (outputs surfaced from {@code If} branches), where a pinned run would fail, and ONNX Runtime log the
     *     failure, before the runner fell back
     */
    public ReusedOutputs reusingOutputs(boolean reuse) {
        return new ReusedOutputs(this, reuse);
    }

    private static OnnxTensor toOrt(OrtEnvironment env, Tensor t, Arena memory) throws OrtException {
        ByteBuffer direct =
                memory.allocate(t.data().remaining(), 64).asByteBuffer().order(ByteOrder.nativeOrder());
        direct.put(t.data()).flip();
        OnnxJavaType jt = switch (t.type()) {
            case FLOAT -> OnnxJavaType.FLOAT;
            case DOUBLE -> OnnxJavaType.DOUBLE;
            case INT8 -> OnnxJavaType.INT8;
            case UINT8 -> OnnxJavaType.UINT8;
            case INT16 -> OnnxJavaType.INT16;
            case INT32 -> OnnxJavaType.INT32;
            case INT64 -> OnnxJavaType.INT64;
            case BOOL -> OnnxJavaType.BOOL;
            case FLOAT16 -> OnnxJavaType.FLOAT16;
            default ->
                throw new InvalidDataException(
                        "ONNX Runtime cannot be fed a " + t.type().displayName() + " tensor");
        };
        return OnnxTensor.createTensor(env, direct, t.shape(), jt);
    }

    private static Tensor fromOrt(OnnxTensor t) throws OrtException {
        TensorInfo info = t.getInfo();
        DataType type = fromOrt(info.type)
                .orElseThrow(() -> new RuntimeFailureException("unsupported output type " + info.type, null));
        // getByteBuffer() already hands back a fresh heap copy of the native output (native order, little-endian on
        // every platform ONNX Runtime ships for): take it over instead of copying it a second time.
        return Tensor.ofBytes(type, info.getShape(), t.getByteBuffer());
    }

    private static Optional<DataType> fromOrt(OnnxJavaType t) {
        return Optional.ofNullable(
                switch (t) {
                    case FLOAT -> DataType.FLOAT;
                    case DOUBLE -> DataType.DOUBLE;
                    case INT8 -> DataType.INT8;
                    case UINT8 -> DataType.UINT8;
                    case INT16 -> DataType.INT16;
                    case INT32 -> DataType.INT32;
                    case INT64 -> DataType.INT64;
                    case BOOL -> DataType.BOOL;
                    case FLOAT16 -> DataType.FLOAT16;
                    default -> null;
                });
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new RuntimeFailureException("closing session over " + what, e);
        }
    }
}
