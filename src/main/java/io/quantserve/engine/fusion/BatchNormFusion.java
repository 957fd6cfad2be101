package io.quantserve.engine.fusion;

import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.GraphEditor;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Folds {@code BatchNormalization} into the preceding Conv/ConvTranspose of the main graph, as AMCT does before
 * quantizing: {@code W'[c] = W[c]·γ[c]/√(σ²[c]+ε)}, {@code b'[c] = (b[c]−μ[c])·γ[c]/√(σ²[c]+ε) + β[c]}. A pair is fused
 * only when the convolution's output feeds the BatchNormalization alone, all parameters are constants, the fused
 * values are finite, and the convolution is not in {@code skip_fusion_layers}. The fused convolution takes over the
 * BatchNormalization's output name, so the rest of the graph is unchanged.
 */
public final class BatchNormFusion {
    private BatchNormFusion() {}

    /** The fused model and the names of the convolutions that absorbed a BatchNormalization. */
    public record Result(OnnxModel model, List<String> fused) {}

    public static Result apply(OnnxModel model, FusionOptions options) {
        if (!options.enabled()) {
            return new Result(model, List.of());
        }
        GraphEditor editor = new GraphEditor(model.proto().getGraph());
        List<String> fused = new ArrayList<>();
        for (NodeProto bn : editor.nodes()) {
            if (!bn.getOpType().equals("BatchNormalization") || !bn.getDomain().isEmpty() || bn.getOutputCount() < 1) {
                continue;
            }
            if (bn.getOutputList().stream().skip(1).anyMatch(o -> !o.isEmpty())) {
                continue; // training-mode outputs (running mean/var) are in use
            }
            Optional<NodeProto> conv = editor.producer(bn.getInput(0));
            if (conv.isEmpty() || options.skipLayers().contains(conv.get().getName())) continue;
            String op = conv.get().getOpType();
            if (!(op.equals("Conv") || op.equals("ConvTranspose"))
                    || !conv.get().getDomain().isEmpty()) continue;
            if (editor.readerCount(bn.getInput(0)) != 1) continue;
            fuse(model, editor, conv.get(), bn).ifPresent(fused::add);
        }
        if (fused.isEmpty()) {
            return new Result(model, List.of());
        }
        editor.removeUnusedInitializers();
        return new Result(
                model.withProto(
                        model.proto().toBuilder().setGraph(editor.build()).build()),
                fused);
    }

    private static Optional<String> fuse(OnnxModel model, GraphEditor editor, NodeProto conv, NodeProto bn) {
        Optional<TensorProto> w = editor.initializer(conv.getInput(1));
        Optional<TensorProto> b = conv.getInputCount() > 2 && !conv.getInput(2).isEmpty()
                ? editor.initializer(conv.getInput(2))
                : Optional.empty();
        if (w.isEmpty() || (conv.getInputCount() > 2 && !conv.getInput(2).isEmpty() && b.isEmpty())) {
            return Optional.empty();
        }
        Optional<float[]> gamma = floats(model, editor, bn.getInput(1));
        Optional<float[]> beta = floats(model, editor, bn.getInput(2));
        Optional<float[]> mean = floats(model, editor, bn.getInput(3));
        Optional<float[]> var = floats(model, editor, bn.getInput(4));
        if (gamma.isEmpty() || beta.isEmpty() || mean.isEmpty() || var.isEmpty()) {
            return Optional.empty();
        }
        if (editor.consumers(conv.getInput(1)).size() != 1
                || b.isPresent() && editor.consumers(conv.getInput(2)).size() != 1) {
            return Optional.empty(); // shared parameters: folding would change the other reader
        }
        double eps = Attributes.getFloat(bn, "epsilon", 1e-5f);
        Tensor weight = model.tensor(w.get());
        float[] wv = weight.toFloats();
        long[] shape = weight.shape();
        int channels = gamma.get().length;
        boolean transpose = conv.getOpType().equals("ConvTranspose");
        long group = Attributes.getInt(conv, "group", 1);
        long inner = 1;
        for (int i = 2; i < shape.length; i++) inner *= shape[i];
        long expectedChannels = transpose ? shape[1] * group : shape[0];
        if (expectedChannels != channels) return Optional.empty();
        double[] factor = new double[channels];
        for (int c = 0; c < channels; c++) {
            factor[c] = gamma.get()[c] / Math.sqrt(var.get()[c] + eps);
        }
        float[] nw = new float[wv.length];
        for (int i = 0; i < wv.length; i++) {
            int c;
            if (transpose) {
                long ci = i / (shape[1] * inner);
                long j = (i / inner) % shape[1];
                c = (int) ((ci / (shape[0] / group)) * shape[1] + j);
            } else {
                c = (int) (i / (shape[1] * inner));
            }
            nw[i] = (float) (wv[i] * factor[c]);
        }
        float[] oldBias = b.map(t -> model.tensor(t).toFloats()).orElse(new float[channels]);
        float[] nb = new float[channels];
        for (int c = 0; c < channels; c++) {
            nb[c] = (float) ((oldBias[c] - mean.get()[c]) * factor[c] + beta.get()[c]);
        }
        for (float v : nw) if (!Float.isFinite(v)) return Optional.empty();
        for (float v : nb) if (!Float.isFinite(v)) return Optional.empty();

        String wName = editor.addInitializer(conv.getInput(1) + "_fused", Tensor.ofFloats(shape, nw));
        String bName = editor.addInitializer(
                (b.isPresent() ? conv.getInput(2) : conv.getName() + "_bias") + "_fused",
                Tensor.ofFloats(new long[] {channels}, nb));
        NodeProto.Builder nc = conv.toBuilder().setInput(1, wName).setOutput(0, bn.getOutput(0));
        if (nc.getInputCount() > 2) {
            nc.setInput(2, bName);
        } else {
            nc.addInput(bName);
        }
        editor.replaceNode(nc.build());
        editor.removeNode(bn.getName());
        return Optional.of(conv.getName());
    }

    private static Optional<float[]> floats(OnnxModel model, GraphEditor editor, String name) {
        return editor.initializer(name).map(t -> model.tensor(t).toFloats());
    }
}
