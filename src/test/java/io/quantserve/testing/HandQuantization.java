package io.quantserve.testing;

import io.quantserve.engine.layers.LayerFinder;
import io.quantserve.engine.layers.LayerType;
import io.quantserve.engine.layers.QuantizableLayer;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.GraphEditor;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.onnx.proto.Onnx.TypeProto;
import io.quantserve.engine.onnx.proto.Onnx.ValueInfoProto;
import io.quantserve.engine.quant.ActivationParams;
import io.quantserve.engine.quant.LayerQuantization;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Quantizes tiny test models by hand, independently of the engine's calibration and weight stages: min/max
 * asymmetric activation factors, ARQ weights (per output channel for Conv/ConvTranspose, group-aware for
 * ConvTranspose; per tensor otherwise), INT32 bias; and builds the fake_quant graph after AMCT's pattern.
 */
public final class HandQuantization {
    private HandQuantization() {}

    /** Asymmetric min/max factors of every layer's data input over the feeds (range widened to contain 0). */
    public static Map<String, ActivationParams> minMaxActivations(OnnxModel model, List<Map<String, Tensor>> feeds) {
        List<QuantizableLayer> layers = LayerFinder.scan(model.proto()).layers();
        Set<String> tensors = new LinkedHashSet<>();
        layers.forEach(l -> tensors.add(l.dataInput()));
        var graph = model.proto().getGraph().toBuilder();
        Set<String> inputs = new LinkedHashSet<>();
        graph.getInputList().forEach(v -> inputs.add(v.getName()));
        for (String t : tensors) {
            if (!inputs.contains(t)
                    && graph.getOutputList().stream().noneMatch(o -> o.getName().equals(t))) {
                graph.addOutput(ValueInfoProto.newBuilder()
                        .setName(t)
                        .setType(TypeProto.newBuilder()
                                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1))));
            }
        }
        byte[] bytes = model.proto().toBuilder().setGraph(graph).build().toByteArray();
        Map<String, float[]> range = new LinkedHashMap<>();
        try (InferenceSession s = InferenceSession.open(bytes, "calibration", SessionSettings.unoptimized())) {
            for (Map<String, Tensor> feed : feeds) {
                List<String> wanted =
                        tensors.stream().filter(t -> !inputs.contains(t)).toList();
                Map<String, Tensor> out = new LinkedHashMap<>(s.run(feed, wanted));
                for (String t : tensors) if (inputs.contains(t)) out.put(t, feed.get(t));
                for (String t : tensors) {
                    float[] r = range.computeIfAbsent(t, k -> new float[] {0f, 0f});
                    for (float v : out.get(t).toFloats()) {
                        r[0] = Math.min(r[0], v);
                        r[1] = Math.max(r[1], v);
                    }
                }
            }
        }
        Map<String, ActivationParams> params = new LinkedHashMap<>();
        for (QuantizableLayer l : layers) {
            float[] r = range.get(l.dataInput());
            float scale = (r[1] - r[0]) / 255f;
            if (scale < Math.ulp(1f)) scale = 1f;
            int offset = (int) (-Math.rint(r[0] / scale) - 128);
            params.put(l.name(), new ActivationParams(scale, Math.max(-128, Math.min(127, offset))));
        }
        return params;
    }

    /** ARQ weights and INT32 bias for every layer that has activation factors, in graph order. */
    public static List<LayerQuantization> quantize(OnnxModel model, Map<String, ActivationParams> activations) {
        GraphEditor editor = new GraphEditor(model.proto().getGraph());
        List<LayerQuantization> out = new ArrayList<>();
        for (QuantizableLayer layer : LayerFinder.scan(model.proto()).layers()) {
            ActivationParams a = activations.get(layer.name());
            if (a == null) continue;
            if (!layer.type().hasWeight()) {
                out.add(new LayerQuantization(layer, a, new float[] {1f}, null, null));
                continue;
            }
            float[] w = model.tensor(editor.initializer(layer.weight()).orElseThrow())
                    .toFloats();
            int channels = layer.type().channelWiseByDefault() ? (int) layer.outputChannels() : 1;
            int[] channelOf = channelOf(layer, w.length, channels);
            float[] maxAbs = new float[channels];
            for (int i = 0; i < w.length; i++) maxAbs[channelOf[i]] = Math.max(maxAbs[channelOf[i]], Math.abs(w[i]));
            float[] scales = new float[channels];
            for (int c = 0; c < channels; c++) scales[c] = maxAbs[c] == 0 ? 1f : maxAbs[c] / 127f;
            byte[] q = new byte[w.length];
            for (int i = 0; i < w.length; i++) {
                q[i] = (byte) Math.max(-127, Math.min(127, Math.rint(w[i] / scales[channelOf[i]])));
            }
            Tensor bias = null;
            if (layer.bias() != null) {
                float[] b = model.tensor(editor.initializer(layer.bias()).orElseThrow())
                        .toFloats();
                int[] qb = new int[(int) layer.outputChannels()];
                for (int c = 0; c < qb.length; c++) {
                    float deq = a.scale() * scales[channels == 1 ? 0 : c];
                    qb[c] = (int) Math.rint(b[b.length == 1 ? 0 : c] / (double) deq);
                }
                bias = Tensor.ofInts(new long[] {qb.length}, qb);
            }
            out.add(new LayerQuantization(layer, a, scales, Tensor.ofInt8(layer.weightShape(), q), bias));
        }
        return out;
    }

    /** Output channel of each weight element (all 0 for a per-tensor layer). */
    private static int[] channelOf(QuantizableLayer layer, int size, int channels) {
        int[] out = new int[size];
        if (channels == 1) return out;
        long[] d = layer.weightShape();
        long inner = 1;
        for (int i = 2; i < d.length; i++) inner *= d[i];
        for (int i = 0; i < size; i++) {
            if (layer.type() == LayerType.CONV) {
                out[i] = (int) (i / (size / d[0]));
            } else {
                long in = i / (d[1] * inner);
                long j = (i / inner) % d[1];
                long inPerGroup = d[0] / layer.group();
                out[i] = (int) ((in / inPerGroup) * d[1] + j);
            }
        }
        return out;
    }

    /**
     * The fake_quant model after AMCT's pattern: on the data input {@code Mul(1/s) → Round → Add(o) →
     * Clip(-128, 127) → Sub(o)}; the layer with float weights {@code round(W/scale_w)} and float bias
     * {@code round(b/(scale_w*scale_d))}; then {@code Mul(deq_scale)} shaped to broadcast, writing the original
     * output name.
     */
    public static OnnxModel fakeQuant(OnnxModel model, List<LayerQuantization> layers) {
        GraphEditor editor = new GraphEditor(model.proto().getGraph());
        for (LayerQuantization q : layers) {
            QuantizableLayer layer = q.layer();
            String n = layer.name();
            ActivationParams a = q.activation();
            String s = editor.addInitializer(n + "_fq_inv_scale", scalar(a.inverseScale()));
            String o = editor.addInitializer(n + "_fq_offset", scalar(a.offset()));
            String lo = editor.addInitializer(n + "_fq_min", scalar(-128));
            String hi = editor.addInitializer(n + "_fq_max", scalar(127));
            String t1 = op(editor, "Mul", n + "_fq_mul", layer.dataInput(), s);
            String t2 = op(editor, "Round", n + "_fq_round", t1);
            String t3 = op(editor, "Add", n + "_fq_add", t2, o);
            String t4 = op(editor, "Clip", n + "_fq_clip", t3, lo, hi);
            String xq = op(editor, "Sub", n + "_fq_sub", t4, o);
            if (q.weight() != null) {
                editor.replaceInitializer(layer.weight(), asFloat(q.weight()));
            }
            if (q.bias() != null) {
                editor.replaceInitializer(layer.bias(), asFloat(q.bias()));
            }
            var node = editor.node(n).orElseThrow();
            String y = node.getOutput(0);
            String acc = editor.uniqueName(n + "_fq_acc");
            editor.replaceNode(
                    node.toBuilder().setInput(0, xq).setOutput(0, acc).build());
            float[] deq = q.deqScales();
            long[] shape = new long[] {deq.length};
            if (deq.length > 1 && (layer.type() == LayerType.CONV || layer.type() == LayerType.CONV_TRANSPOSE)) {
                shape = new long[layer.weightShape().length - 1];
                Arrays.fill(shape, 1);
                shape[0] = deq.length;
            }
            String d = editor.addInitializer(n + "_fq_deq", Tensor.ofFloats(shape, deq));
            editor.addNode("Mul", n + "_fq_dequant", List.of(acc, d), List.of(y));
        }
        return model.withProto(
                model.proto().toBuilder().setGraph(editor.build()).build());
    }

    private static String op(GraphEditor editor, String type, String name, String... in) {
        String out = editor.uniqueName(name + "_out");
        editor.addNode(type, name, List.of(in), List.of(out));
        return out;
    }

    private static Tensor scalar(float v) {
        return Tensor.ofFloats(new long[0], new float[] {v});
    }

    private static Tensor asFloat(Tensor t) {
        return Tensor.ofFloats(t.shape(), t.toFloats());
    }

    /** The Conv/ConvTranspose {@code group} attribute of a layer node, for assertions. */
    public static long group(OnnxModel model, String node) {
        return Attributes.getInt(
                new GraphEditor(model.proto().getGraph()).node(node).orElseThrow(), "group", 1);
    }

    /** The stored tensor of an initializer, for assertions. */
    public static Tensor initializer(OnnxModel model, String name) {
        TensorProto t = model.proto().getGraph().getInitializerList().stream()
                .filter(i -> i.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no initializer '" + name + "'"));
        return model.tensor(t);
    }
}
