package io.quantserve.engine.onnx.upgrade;

import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Upsample (deprecated at 10) and Resize-10 → Resize-11+.
 *
 * <p>Before 11 the sampling grid was fixed: a resized coordinate maps back as {@code x / scale}
 * ({@code coordinate_transformation_mode="asymmetric"}), and nearest mode took the integer part on up-sampled
 * axes and rounded up on down-sampled ones (ONNX Runtime's {@code upsamplebase.h}, nearest mode "simple", which
 * the ONNX test data for Resize-10 follows). Resize-11 defaults to {@code half_pixel} and
 * {@code round_prefer_floor}, so both are set explicitly: {@code nearest_mode="floor"} when no axis shrinks,
 * {@code "ceil"} when none grows, and a growing then a shrinking Resize when both occur or when the scales are
 * only known at run time (nearest resizing is separable per axis, so the pair is exact). Upsample only ever
 * grows (scales ≥ 1).
 */
final class Resizing {
    private Resizing() {}

    /** Upsample-1/7/9 → the form of the target opset (Upsample-7/9, Resize-10 or Resize-11+). */
    static void upsample(NodeProto n, UpgradeScope s) {
        boolean toResize = s.crosses(10);
        if (!toResize && !s.crosses(7) && !s.crosses(9)) {
            s.emit(n);
            return;
        }
        String mode = Attributes.getString(n, "mode", "nearest");
        if (mode.equals("bilinear")) mode = "linear";
        String x = Nodes.input(n, 0);
        if (!toResize && !s.crosses(9)) {
            // Upsample-1 → Upsample-7: height_scale/width_scale become the scales list of an NCHW input.
            AttributeProto.Builder scales =
                    AttributeProto.newBuilder().setName("scales").setType(AttributeProto.AttributeType.FLOATS);
            for (float v : attributeScales(n)) scales.addFloats(v);
            s.emit(Nodes.with(
                    Nodes.with(Nodes.without(n, "height_scale", "width_scale"), scales.build()),
                    Attributes.of("mode", mode)));
            return;
        }
        String scales = s.from() >= 9 ? Nodes.input(n, 1) : attributeScalesInput(n, s);
        if (!toResize) {
            NodeProto upsample9 =
                    Nodes.with(Nodes.without(n, "height_scale", "width_scale", "scales"), Attributes.of("mode", mode));
            s.emit(Nodes.withInputs(upsample9, List.of(x, scales)));
            return;
        }
        NodeProto resize = Nodes.node("Resize", n.getName(), List.of(), n.getOutputList(), Attributes.of("mode", mode));
        emitResize(resize, x, scales, mode.equals("nearest") ? "floor" : "", s);
    }

    /** Resize-10 → Resize-11+: adds the {@code roi} input and the two modes that keep the opset-10 grid. */
    static void resize(NodeProto n, UpgradeScope s) {
        if (!s.crosses(11)) {
            s.emit(n);
            return;
        }
        String x = Nodes.input(n, 0);
        String scales = Nodes.input(n, 1);
        if (!Attributes.getString(n, "mode", "nearest").equals("nearest")) {
            emitResize(n, x, scales, "", s);
            return;
        }
        Optional<float[]> constant = s.constantValue(scales).map(Tensor::toFloats);
        if (constant.isEmpty()) {
            // Scales known only at run time: grow with max(scales, 1) rounding down, then shrink with
            // min(scales, 1) rounding up; each axis is resized by exactly one of the two (the other is identity).
            String one = s.scalar(n, "one", 1.0, TensorProto.DataType.FLOAT_VALUE);
            String up = s.fresh(n, "grow_scales");
            String down = s.fresh(n, "shrink_scales");
            s.emit(Nodes.node("Max", s.fresh(n, "grow_scales"), List.of(scales, one), List.of(up)));
            s.emit(Nodes.node("Min", s.fresh(n, "shrink_scales"), List.of(scales, one), List.of(down)));
            growThenShrink(n, x, up, down, s);
            return;
        }
        float[] values = constant.get();
        boolean grows = false;
        boolean shrinks = false;
        for (float v : values) {
            grows |= v > 1f;
            shrinks |= v < 1f;
        }
        if (!(grows && shrinks)) {
            emitResize(n, x, scales, shrinks ? "ceil" : "floor", s);
            return;
        }
        float[] up = values.clone();
        float[] down = values.clone();
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 1f) up[i] = 1f;
            else down[i] = 1f;
        }
        long[] shape = {values.length};
        growThenShrink(
                n,
                x,
                s.constant(n, "grow_scales", Tensor.ofFloats(shape, up)),
                s.constant(n, "shrink_scales", Tensor.ofFloats(shape, down)),
                s);
    }

    /** Nearest resizing is separable per axis: the growing axes first (rounding down), then the shrinking ones. */
    private static void growThenShrink(NodeProto n, String x, String upScales, String downScales, UpgradeScope s) {
        String grown = s.fresh(n, "grown");
        NodeProto first = n.toBuilder()
                .setName(s.fresh(n, "grow"))
                .clearOutput()
                .addOutput(grown)
                .build();
        emitResize(first, x, upScales, "floor", s);
        emitResize(n, grown, downScales, "ceil", s);
    }

    /** Upsample-7's {@code scales}, or Upsample-1's {@code height_scale}/{@code width_scale} on NCHW. */
    private static float[] attributeScales(NodeProto n) {
        Optional<AttributeProto> scales = Attributes.find(n, "scales");
        if (scales.isEmpty()) {
            return new float[] {
                1f, 1f, Attributes.getFloat(n, "height_scale", 1f), Attributes.getFloat(n, "width_scale", 1f)
            };
        }
        List<Float> list = scales.get().getFloatsList();
        float[] values = new float[list.size()];
        for (int i = 0; i < values.length; i++) values[i] = list.get(i);
        return values;
    }

    private static String attributeScalesInput(NodeProto n, UpgradeScope s) {
        float[] values = attributeScales(n);
        return s.constant(n, "scales", Tensor.ofFloats(new long[] {values.length}, values));
    }

    /** Emits {@code node} as Resize-11+ reading {@code (x, roi, scales)} on the opset-10 sampling grid. */
    private static void emitResize(NodeProto node, String x, String scales, String nearestMode, UpgradeScope s) {
        if (s.to() < 11) {
            s.emit(Nodes.withInputs(node, List.of(x, scales)));
            return;
        }
        // Resize-13 lets roi be omitted; Resize-11/12 need a tensor, and an empty one means "not used".
        String roi = s.to() >= 13 ? "" : s.constant(node, "roi", Tensor.ofFloats(new long[] {0}, new float[0]));
        List<String> in = new ArrayList<>(List.of(x, roi, scales));
        NodeProto r = Nodes.with(node, Attributes.of("coordinate_transformation_mode", "asymmetric"));
        if (!nearestMode.isEmpty()) r = Nodes.with(r, Attributes.of("nearest_mode", nearestMode));
        s.emit(r.toBuilder().clearInput().addAllInput(in).build());
    }
}
