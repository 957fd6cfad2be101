package io.quantserve.engine.onnx.upgrade;

import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.runtime.ValueSpec;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a model and its upgrade in ONNX Runtime on the same feeds and measures how far the upgraded outputs
 * drift from the original ones, output by output (matched by name). Both models must hold their tensors
 * inline (they are handed to ONNX Runtime as bytes).
 */
public final class UpgradeCheck {
    private static final Set<DataType> INTEGRAL = EnumSet.of(
            DataType.INT8,
            DataType.UINT8,
            DataType.INT16,
            DataType.UINT16,
            DataType.INT32,
            DataType.UINT32,
            DataType.INT64,
            DataType.UINT64,
            DataType.BOOL);

    private UpgradeCheck() {}

    /**
     * The drift of an upgrade.
     *
     * @param maxAbsDifference the largest {@code |upgraded - original|} over every element of every output;
     *     {@code +Infinity} when an output is missing, differs in element type or shape, or is NaN on one side
     *     only (NaN on both sides counts as equal)
     * @param maxScaledDifference the largest, over outputs, of that output's absolute difference divided by its
     *     largest original magnitude (0 when both are all zeros): a relative measure that small elements do not
     *     inflate
     * @param worstOutput the output with the largest absolute difference (the first output when all are equal)
     */
    public record Result(double maxAbsDifference, double maxScaledDifference, String worstOutput) {}

    /** {@link #compare(ModelProto, ModelProto, Map, SessionSettings)} without graph optimisations. */
    public static Result compare(ModelProto original, ModelProto upgraded, Map<String, Tensor> feeds) {
        return compare(original, upgraded, feeds, SessionSettings.unoptimized());
    }

    /**
     * Runs both models on {@code feeds} and compares every output of the original with the same-named output
     * of the upgrade.
     *
     * @throws io.quantserve.engine.RuntimeFailureException if ONNX Runtime cannot load or run either model
     */
    public static Result compare(
            ModelProto original, ModelProto upgraded, Map<String, Tensor> feeds, SessionSettings settings) {
        Map<String, Tensor> before = run(original, "the original model", feeds, settings);
        Map<String, Tensor> after = run(upgraded, "the upgraded model", feeds, settings);
        double worstAbs = 0;
        double worstScaled = 0;
        String worst = before.keySet().stream().findFirst().orElse("");
        for (var e : before.entrySet()) {
            Tensor b = e.getValue();
            Tensor a = after.get(e.getKey());
            double abs = a == null ? Double.POSITIVE_INFINITY : difference(b, a);
            double magnitude = maxMagnitude(b);
            double scaled = abs == 0 ? 0 : magnitude == 0 ? Double.POSITIVE_INFINITY : abs / magnitude;
            if (abs > worstAbs) {
                worstAbs = abs;
                worst = e.getKey();
            }
            worstScaled = Math.max(worstScaled, scaled);
        }
        return new Result(worstAbs, worstScaled, worst);
    }

    /** The largest absolute output difference (see {@link Result#maxAbsDifference()}). */
    public static double maxAbsDifference(ModelProto original, ModelProto upgraded, Map<String, Tensor> feeds) {
        return compare(original, upgraded, feeds).maxAbsDifference();
    }

    private static Map<String, Tensor> run(
            ModelProto model, String what, Map<String, Tensor> feeds, SessionSettings settings) {
        try (InferenceSession session = InferenceSession.open(model.toByteArray(), what, settings)) {
            List<String> outputs =
                    session.outputs().stream().map(ValueSpec::name).toList();
            return session.run(feeds, outputs);
        }
    }

    private static double difference(Tensor original, Tensor upgraded) {
        if (original.type() != upgraded.type() || !Arrays.equals(original.shape(), upgraded.shape())) {
            return Double.POSITIVE_INFINITY;
        }
        double worst = 0;
        if (INTEGRAL.contains(original.type())) {
            long[] o = original.toLongs();
            long[] u = upgraded.toLongs();
            for (int i = 0; i < o.length; i++) worst = Math.max(worst, Math.abs((double) o[i] - (double) u[i]));
            return worst;
        }
        float[] o = original.toFloats();
        float[] u = upgraded.toFloats();
        for (int i = 0; i < o.length; i++) {
            if (Float.isNaN(o[i]) || Float.isNaN(u[i])) {
                if (Float.isNaN(o[i]) != Float.isNaN(u[i])) return Double.POSITIVE_INFINITY;
            } else if (o[i] != u[i]) {
                worst = Math.max(worst, Math.abs((double) o[i] - (double) u[i]));
            }
        }
        return worst;
    }

    private static double maxMagnitude(Tensor t) {
        double m = 0;
        if (INTEGRAL.contains(t.type())) {
            for (long v : t.toLongs()) m = Math.max(m, Math.abs((double) v));
            return m;
        }
        for (float v : t.toFloats()) {
            if (Float.isFinite(v)) m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
