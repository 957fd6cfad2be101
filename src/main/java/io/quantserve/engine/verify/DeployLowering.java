package io.quantserve.engine.verify;

import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.export.AscendOps;
import io.quantserve.engine.layers.LayerType;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.GraphEditor;
import io.quantserve.engine.onnx.GraphScopes;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.ScopedEdits;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The integer reference interpreter of AMCT's deploy model: rewrites {@code AscendQuant}/{@code AscendDequant}
 * into standard ONNX operators that reproduce their integer semantics, so ONNX Runtime can run the deploy
 * model. Everything is taken from the deploy model itself (attributes, INT8 weights, INT32 biases, uint64
 * {@code deq_scale}), never from the quantization results that produced it.
 *
 * <ul>
 *   <li>{@code AscendQuant(x)} becomes {@code Mul(scale) → Round → Add(offset) → Clip(-128, 127) → Cast(INT8)
 *       → Cast(FLOAT) → Sub(offset)}: {@code Round} is half-to-even like {@code round_mode "Round"}, the clip
 *       saturates exactly like int8, and the result is the centred integer {@code q - offset} that the
 *       layer's arithmetic consumes (the deploy model leaves the offset correction to ATC).
 *   <li>Each layer reading an AscendQuant output gets {@code Cast(FLOAT)} in front of its INT8 weight and INT32
 *       bias initializers and runs in float32 on integer values; see {@link AccumulationBound} for when that
 *       equals INT32 accumulation, reported per layer.
 *   <li>{@code AscendDequant(y, deq_scale)} becomes {@code Mul(y, d)} with {@code d[c]} the float32 in the low
 *       32 bits of {@code deq_scale[c]}, shaped {@code [C, 1, …]} after Conv/ConvTranspose so it broadcasts
 *       over channels, {@code [C]} otherwise.
 * </ul>
 *
 * Ascend operators inside {@code If}/{@code Loop}/{@code Scan} bodies are lowered in their own body, scopes in
 * visiting order (a graph before its subgraphs); initializers they read may sit in an enclosing graph. Only what
 * the deploy exporter writes is interpreted: {@code dst_type "INT8"}, {@code round_mode "Round"},
 * {@code sqrt_mode 0}, {@code relu_flag 0}, {@code dtype 0} and {@code offset_w = 0}; anything else and other
 * Ascend operators are refused with a message naming the node. Needs opset 11 or later ({@code Round},
 * {@code Clip} with bound inputs).
 */
public final class DeployLowering {
    private static final int CAST_TO_FLOAT = 1;
    private static final int CAST_TO_INT8 = 3;

    private DeployLowering() {}

    /**
     * The lowered model and the accumulation bound of each quantized layer.
     *
     * @param model a standard ONNX model with the deploy model's inputs and outputs
     * @param accumulation one entry per layer with INT8 weights, in graph order (a graph's layers before those of
     *     its subgraphs)
     */
    public record Lowered(OnnxModel model, List<AccumulationBound> accumulation) {
        public Lowered {
            accumulation = List.copyOf(accumulation);
        }
    }

    public static Lowered lower(OnnxModel deploy) {
        long opset = deploy.defaultOpset();
        if (opset < 11) {
            throw new InvalidModelException("the deploy model imports opset " + opset + "; the integer reference "
                    + "needs opset 11 or later (Round, Clip with min/max inputs)");
        }
        ModelProto proto = deploy.proto();
        Set<String> quantOutputs = new HashSet<>();
        for (String scope : GraphScopes.all(proto)) {
            for (NodeProto n : GraphScopes.graph(proto, scope).getNodeList()) {
                if (isAscend(n) && n.getOpType().equals(AscendOps.QUANT)) quantOutputs.addAll(n.getOutputList());
            }
        }
        List<String> scopes = new ArrayList<>();
        for (String scope : GraphScopes.all(proto)) {
            boolean touched = GraphScopes.graph(proto, scope).getNodeList().stream()
                    .anyMatch(n -> isAscend(n) || (n.getInputCount() > 0 && quantOutputs.contains(n.getInput(0))));
            if (touched) scopes.add(scope);
        }
        Set<String> retyped = new HashSet<>();
        Map<String, Integer> quantOffsets = new HashMap<>();
        List<AccumulationBound> bounds = new ArrayList<>();
        ModelProto lowered =
                ScopedEdits.apply(proto, scopes, scope -> lowerScope(scope, deploy, retyped, quantOffsets, bounds));
        for (String scope : GraphScopes.all(lowered)) {
            GraphProto g = GraphScopes.graph(lowered, scope);
            if (g.getValueInfoList().stream().noneMatch(v -> retyped.contains(v.getName()))) continue;
            GraphProto.Builder b = g.toBuilder();
            for (int i = b.getValueInfoCount() - 1; i >= 0; i--) {
                if (retyped.contains(b.getValueInfo(i).getName())) b.removeValueInfo(i);
            }
            lowered = GraphScopes.replace(lowered, scope, b.build());
        }
        return new Lowered(deploy.withProto(lowered), bounds);
    }

    /** Lowers the Ascend operators of one scope, then the layers reading AscendQuant outputs (of any scope). */
    private static void lowerScope(
            ScopedEdits.Scope scope,
            OnnxModel deploy,
            Set<String> retyped,
            Map<String, Integer> quantOffsets,
            List<AccumulationBound> bounds) {
        GraphEditor editor = scope.editor();
        for (NodeProto n : editor.nodes()) {
            if (!isAscend(n)) continue;
            switch (n.getOpType()) {
                case AscendOps.QUANT -> {
                    quantOffsets.put(n.getOutput(0), lowerQuant(editor, n));
                    retyped.add(n.getOutput(0));
                }
                case AscendOps.DEQUANT -> {
                    lowerDequant(scope, deploy, n);
                    retyped.add(n.getInput(0));
                }
                default ->
                    throw new InvalidModelException("node '" + n.getName() + "' is an " + n.getOpType()
                            + ", which the integer reference does not interpret");
            }
        }
        for (NodeProto n : editor.nodes()) {
            if (n.getInputCount() > 0 && quantOffsets.containsKey(n.getInput(0))) {
                lowerLayer(scope, deploy, n, quantOffsets.get(n.getInput(0))).ifPresent(bounds::add);
            }
        }
    }

    private static boolean isAscend(NodeProto n) {
        return AscendOps.isAscendDomain(n.getDomain()) && n.getOpType().startsWith("Ascend");
    }

    /** Replaces one AscendQuant by its float chain; returns its integer offset. */
    private static int lowerQuant(GraphEditor editor, NodeProto n) {
        String name = n.getName();
        if (n.getInputCount() != 1 || n.getOutputCount() != 1) {
            throw refuse(n, "must have one input and one output");
        }
        float scale = requiredFloat(n, AscendOps.ATTR_SCALE);
        float offsetValue = requiredFloat(n, AscendOps.ATTR_OFFSET);
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw refuse(n, "scale must be finite and > 0, got " + scale);
        }
        if (offsetValue != Math.rint(offsetValue) || offsetValue < -128 || offsetValue > 127) {
            throw refuse(n, "offset must be an integer in [-128, 127], got " + offsetValue);
        }
        expectString(n, AscendOps.ATTR_DST_TYPE, AscendOps.DST_TYPE_INT8);
        expectString(n, AscendOps.ATTR_ROUND_MODE, AscendOps.ROUND_MODE_ROUND);
        expectInt(n, AscendOps.ATTR_SQRT_MODE, 0);

        String scaleC = editor.addInitializer(name + "/scale", scalar(scale));
        String offsetC = editor.addInitializer(name + "/offset", scalar(offsetValue));
        String lo = editor.addInitializer(name + "/qmin", scalar(-128f));
        String hi = editor.addInitializer(name + "/qmax", scalar(127f));
        editor.removeNode(name);
        String scaled = op(editor, "Mul", name + "/mul", List.of(n.getInput(0), scaleC));
        String rounded = op(editor, "Round", name + "/round", List.of(scaled));
        String shifted = op(editor, "Add", name + "/add_offset", List.of(rounded, offsetC));
        String clipped = op(editor, "Clip", name + "/clip", List.of(shifted, lo, hi));
        String int8 = op(editor, "Cast", name + "/to_int8", List.of(clipped), Attributes.of("to", CAST_TO_INT8));
        String back = op(editor, "Cast", name + "/to_float", List.of(int8), Attributes.of("to", CAST_TO_FLOAT));
        editor.addNode("Sub", name + "/sub_offset", List.of(back, offsetC), List.of(n.getOutput(0)));
        return (int) offsetValue;
    }

    /** Replaces one AscendDequant by {@code Mul(y, decoded deq_scale)}. */
    private static void lowerDequant(ScopedEdits.Scope scope, OnnxModel deploy, NodeProto n) {
        GraphEditor editor = scope.editor();
        String name = n.getName();
        if (n.getInputCount() != 2 || n.getOutputCount() != 1) {
            throw refuse(n, "must have two inputs (int32 result, deq_scale) and one output");
        }
        expectInt(n, AscendOps.ATTR_DTYPE, AscendOps.DTYPE_FLOAT32);
        expectInt(n, AscendOps.ATTR_SQRT_MODE, 0);
        expectInt(n, AscendOps.ATTR_RELU_FLAG, 0);
        String paramName = n.getInput(1);
        TensorProto param = initializer(scope, paramName)
                .orElseThrow(() -> refuse(n, "deq_scale '" + paramName + "' is not an initializer"));
        if (param.getDataType() != DataType.UINT64.onnxCode()) {
            throw refuse(
                    n, "deq_scale '" + paramName + "' is " + DataType.describe(param.getDataType()) + ", not uint64");
        }
        long[] packed = deploy.tensor(param).toLongs();
        float[] deq = new float[packed.length];
        for (int c = 0; c < packed.length; c++) {
            if ((packed[c] >>> 32) != 0) {
                throw refuse(
                        n,
                        "deq_scale[" + c + "] = 0x" + Long.toHexString(packed[c]) + " has upper bits set (offset_w "
                                + AscendOps.weightOffset(packed[c]) + "); only offset_w = 0 is interpreted");
            }
            deq[c] = AscendOps.decodeDeqScale(packed[c]);
        }
        long[] shape = broadcastShape(scope, n.getInput(0), deq.length);
        String deqC = editor.addInitializer(name + "/deq_scale", Tensor.ofFloats(shape, deq));
        editor.removeNode(name);
        editor.addNode("Mul", name + "/mul", List.of(n.getInput(0), deqC), List.of(n.getOutput(0)));
        if (!scope.owns(paramName)) {
            scope.release(paramName);
        } else if (editor.readerCount(paramName) == 0) {
            editor.removeInitializer(paramName);
        }
    }

    /** An initializer visible from the scope: its own, else the nearest enclosing graph's. */
    private static Optional<TensorProto> initializer(ScopedEdits.Scope scope, String name) {
        return scope.initializer(name).map(GraphScopes.ScopedInitializer::tensor);
    }

    /** {@code [C, 1, …]} after Conv/ConvTranspose (channel axis 1 of an N-D output), {@code [C]} otherwise. */
    private static long[] broadcastShape(ScopedEdits.Scope scope, String layerOutput, int channels) {
        Optional<NodeProto> producer = scope.editor().producer(layerOutput);
        if (channels > 1 && producer.isPresent()) {
            NodeProto p = producer.get();
            boolean convLike = p.getOpType().equals("Conv") || p.getOpType().equals("ConvTranspose");
            if (convLike && p.getInputCount() > 1) {
                int rank = initializer(scope, p.getInput(1))
                        .map(TensorProto::getDimsCount)
                        .orElseThrow(() -> refuse(p, "weight '" + p.getInput(1) + "' is not an initializer"));
                long[] shape = new long[rank - 1];
                Arrays.fill(shape, 1);
                shape[0] = channels;
                return shape;
            }
        }
        return new long[] {channels};
    }

    /** Casts the layer's INT8/INT32 initializer inputs to float; returns its accumulation bound if it has weights. */
    private static Optional<AccumulationBound> lowerLayer(
            ScopedEdits.Scope scope, OnnxModel deploy, NodeProto n, int offset) {
        GraphEditor editor = scope.editor();
        NodeProto.Builder b = n.toBuilder();
        TensorProto weight = null;
        long maxBias = 0;
        for (int i = 1; i < n.getInputCount(); i++) {
            Optional<TensorProto> init = initializer(scope, n.getInput(i));
            if (init.isEmpty()) continue;
            int type = init.get().getDataType();
            if (type != DataType.INT8.onnxCode() && type != DataType.INT32.onnxCode()) continue;
            if (i == 1 && type == DataType.INT8.onnxCode()) weight = init.get();
            if (i == 2 && type == DataType.INT32.onnxCode()) {
                for (long v : deploy.tensor(init.get()).toLongs()) maxBias = Math.max(maxBias, Math.abs(v));
            }
            String name = n.getInput(i);
            String cast = op(editor, "Cast", name + "/cast", List.of(name), Attributes.of("to", CAST_TO_FLOAT));
            b.setInput(i, cast);
        }
        editor.replaceNode(b.build());
        if (weight == null) return Optional.empty();
        long terms = terms(n, weight);
        return Optional.of(AccumulationBound.of(n.getName(), n.getOpType(), terms, offset, maxBias));
    }

    /** Products summed per output value, from the weight layout of each operator. */
    private static long terms(NodeProto n, TensorProto weight) {
        List<Long> d = weight.getDimsList();
        LayerType type = LayerType.forOpType(n.getOpType())
                .orElseThrow(() -> refuse(n, "reads an INT8 weight but is not a quantizable layer type"));
        return switch (type) {
            case CONV -> product(d, 1);
            case CONV_TRANSPOSE -> d.get(0) / Math.max(1, Attributes.getInt(n, "group", 1)) * product(d, 2);
            case GEMM -> Attributes.getInt(n, "transB", 0) != 0 ? d.get(1) : d.get(0);
            case MATMUL -> d.get(0);
            case AVERAGE_POOL -> throw refuse(n, "AveragePool does not take a weight");
        };
    }

    private static long product(List<Long> dims, int from) {
        long p = 1;
        for (int i = from; i < dims.size(); i++) p = Math.multiplyExact(p, dims.get(i));
        return p;
    }

    private static String op(
            GraphEditor editor, String opType, String baseName, List<String> in, AttributeProto... attrs) {
        String out = editor.uniqueName(baseName);
        editor.addNode(opType, baseName, in, List.of(out), attrs);
        return out;
    }

    private static Tensor scalar(float v) {
        return Tensor.ofFloats(new long[0], new float[] {v});
    }

    private static float requiredFloat(NodeProto n, String attr) {
        AttributeProto a = Attributes.find(n, attr).orElseThrow(() -> refuse(n, "has no '" + attr + "' attribute"));
        if (a.getType() != AttributeProto.AttributeType.FLOAT) {
            throw refuse(n, "attribute '" + attr + "' must be FLOAT, is " + a.getType());
        }
        return a.getF();
    }

    private static void expectString(NodeProto n, String attr, String expected) {
        Optional<AttributeProto> a = Attributes.find(n, attr);
        if (a.isPresent() && !a.get().getS().toStringUtf8().equals(expected)) {
            throw refuse(
                    n, attr + " '" + a.get().getS().toStringUtf8() + "' is not interpreted (only '" + expected + "')");
        }
    }

    private static void expectInt(NodeProto n, String attr, long expected) {
        Optional<AttributeProto> a = Attributes.find(n, attr);
        if (a.isPresent() && a.get().getI() != expected) {
            throw refuse(n, attr + " " + a.get().getI() + " is not interpreted (only " + expected + ")");
        }
    }

    private static InvalidModelException refuse(NodeProto n, String message) {
        return new InvalidModelException(n.getOpType() + " node '" + n.getName() + "': " + message);
    }
}
