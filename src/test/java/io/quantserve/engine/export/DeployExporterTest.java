package io.quantserve.engine.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.LayerQuantizationException;
import io.quantserve.engine.layers.LayerFinder;
import io.quantserve.engine.layers.QuantizableLayer;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto.AttributeType;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.quant.ActivationParams;
import io.quantserve.engine.quant.LayerQuantization;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.HandQuantization;
import io.quantserve.testing.TinyGraphs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeployExporterTest {
    private static final ActivationParams ACT = new ActivationParams(0.02f, -7);

    private static List<LayerQuantization> quantizeAll(OnnxModel model, ActivationParams a) {
        Map<String, ActivationParams> acts = new LinkedHashMap<>();
        LayerFinder.scan(model.proto()).layers().forEach(l -> acts.put(l.name(), a));
        return HandQuantization.quantize(model, acts);
    }

    private static List<String> opTypes(OnnxModel m) {
        return m.proto().getGraph().getNodeList().stream()
                .map(NodeProto::getOpType)
                .toList();
    }

    private static NodeProto node(OnnxModel m, String opType, int index) {
        return m.proto().getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals(opType))
                .toList()
                .get(index);
    }

    private static TensorProto init(OnnxModel m, String name) {
        return m.proto().getGraph().getInitializerList().stream()
                .filter(t -> t.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static AttributeProto attr(NodeProto n, String name) {
        return Attributes.find(n, name).orElseThrow(() -> new AssertionError(n.getName() + " lacks " + name));
    }

    /** Asserts the AscendQuant attributes AMCT writes, with their ONNX attribute types. */
    private static void assertQuantAttributes(NodeProto q, ActivationParams a) {
        assertThat(q.getDomain()).isEmpty();
        assertThat(q.getAttributeList())
                .extracting(AttributeProto::getName)
                .containsExactly("scale", "offset", "dst_type", "sqrt_mode", "round_mode");
        assertThat(attr(q, "scale").getType()).isEqualTo(AttributeType.FLOAT);
        assertThat(Float.floatToRawIntBits(attr(q, "scale").getF())).isEqualTo(Float.floatToRawIntBits(1f / a.scale()));
        assertThat(attr(q, "offset").getType()).isEqualTo(AttributeType.FLOAT);
        assertThat(attr(q, "offset").getF()).isEqualTo((float) a.offset());
        assertThat(attr(q, "dst_type").getType()).isEqualTo(AttributeType.STRING);
        assertThat(attr(q, "dst_type").getS().toStringUtf8()).isEqualTo("INT8");
        assertThat(attr(q, "sqrt_mode").getType()).isEqualTo(AttributeType.INT);
        assertThat(attr(q, "sqrt_mode").getI()).isZero();
        assertThat(attr(q, "round_mode").getS().toStringUtf8()).isEqualTo("Round");
    }

    private static void assertDequantAttributes(NodeProto d) {
        assertThat(d.getDomain()).isEmpty();
        assertThat(d.getAttributeList())
                .extracting(AttributeProto::getName)
                .containsExactly("dtype", "sqrt_mode", "relu_flag");
        for (AttributeProto a : d.getAttributeList()) {
            assertThat(a.getType()).as(a.getName()).isEqualTo(AttributeType.INT);
            assertThat(a.getI()).as(a.getName()).isZero();
        }
    }

    /** deq_scale: uint64 [n]; low 32 bits = float32 bits of scale_d * scale_w[c] (little-endian), high bits 0. */
    private static void assertDeqScale(OnnxModel m, String param, LayerQuantization q) {
        TensorProto t = init(m, param);
        float[] expected = q.deqScales();
        assertThat(t.getDataType()).isEqualTo(DataType.UINT64.onnxCode());
        assertThat(t.getDimsList()).containsExactly((long) expected.length);
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < expected.length; c++) {
            assertThat(raw.getInt(c * 8)).isEqualTo(Float.floatToRawIntBits(expected[c]));
            assertThat(raw.getInt(c * 8 + 4)).as("upper 32 bits").isZero();
            assertThat(expected[c]).isEqualTo(q.activation().scale() * q.weightScales()[c]);
        }
    }

    private static void assertUniqueNames(OnnxModel m) {
        Set<String> nodes = new HashSet<>();
        Set<String> produced = new HashSet<>();
        m.proto()
                .getGraph()
                .getInitializerList()
                .forEach(t -> assertThat(produced.add(t.getName())).isTrue());
        for (NodeProto n : m.proto().getGraph().getNodeList()) {
            assertThat(nodes.add(n.getName())).as("node name " + n.getName()).isTrue();
            n.getOutputList()
                    .forEach(o -> assertThat(produced.add(o)).as("tensor " + o).isTrue());
        }
    }

    @Test
    void convPerChannelWithBiasAndGroups() {
        OnnxModel model = TinyGraphs.graph()
                .input("x", 1, 4, 5, 5)
                .randomInit("w", 1, 6, 2, 3, 3)
                .randomInit("b", 2, 6)
                .node("Conv", "conv", List.of("x", "w", "b"), List.of("y"), Attributes.of("group", 2L))
                .output("y")
                .build();
        LayerQuantization q = quantizeAll(model, ACT).getFirst();
        assertThat(q.weightScales()).hasSize(6);

        OnnxModel deploy = DeployExporter.export(model, List.of(q));

        assertThat(opTypes(deploy)).containsExactly("AscendQuant", "Conv", "AscendDequant");
        NodeProto quant = node(deploy, "AscendQuant", 0);
        NodeProto conv = node(deploy, "Conv", 0);
        NodeProto dequant = node(deploy, "AscendDequant", 0);
        assertThat(quant.getName()).isEqualTo("conv.quant");
        assertThat(quant.getInputList()).containsExactly("x");
        assertQuantAttributes(quant, ACT);
        assertThat(conv.getInputList()).containsExactly(quant.getOutput(0), "w", "b");
        assertThat(conv.getOutput(0)).isNotEqualTo("y");
        assertThat(Attributes.getInt(conv, "group", 1)).isEqualTo(2);
        assertThat(dequant.getName()).isEqualTo("conv.dequant");
        assertThat(dequant.getInputList()).containsExactly(conv.getOutput(0), "conv.dequant.param");
        assertThat(dequant.getOutputList()).containsExactly("y");
        assertDequantAttributes(dequant);

        TensorProto w = init(deploy, "w");
        assertThat(w.getDataType()).isEqualTo(DataType.INT8.onnxCode());
        assertThat(w.getDimsList()).containsExactly(6L, 2L, 3L, 3L);
        assertThat(HandQuantization.initializer(deploy, "w").bytes())
                .isEqualTo(q.weight().bytes());
        TensorProto b = init(deploy, "b");
        assertThat(b.getDataType()).isEqualTo(DataType.INT32.onnxCode());
        assertThat(HandQuantization.initializer(deploy, "b").toLongs())
                .containsExactly(q.bias().toLongs());
        assertDeqScale(deploy, "conv.dequant.param", q);
        assertUniqueNames(deploy);
        assertThat(deploy.proto().getGraph().getOutputList())
                .extracting(v -> v.getName())
                .containsExactly("y");
    }

    @Test
    void convTransposeHasOneDeqScalePerOutputChannelAcrossGroups() {
        // weight [C_in=4, C_out/g=3, 2, 2], group 2: C_out = 6 output channels, scales group-aware.
        OnnxModel model = TinyGraphs.graph()
                .input("x", 1, 4, 3, 3)
                .randomInit("wt", 3, 4, 3, 2, 2)
                .randomInit("bt", 4, 6)
                .node("ConvTranspose", "deconv", List.of("x", "wt", "bt"), List.of("y"), Attributes.of("group", 2L))
                .output("y")
                .build();
        LayerQuantization q = quantizeAll(model, ACT).getFirst();
        assertThat(q.weightScales()).hasSize(6);

        OnnxModel deploy = DeployExporter.export(model, List.of(q));

        assertThat(opTypes(deploy)).containsExactly("AscendQuant", "ConvTranspose", "AscendDequant");
        assertThat(init(deploy, "wt").getDimsList()).containsExactly(4L, 3L, 2L, 2L);
        assertThat(init(deploy, "wt").getDataType()).isEqualTo(DataType.INT8.onnxCode());
        assertThat(init(deploy, "bt").getDataType()).isEqualTo(DataType.INT32.onnxCode());
        assertDeqScale(deploy, "deconv.dequant.param", q);
    }

    @Test
    void gemmWithTransBKeepsItsWeightLayoutAndBias() {
        OnnxModel model = TinyGraphs.graph()
                .input("x", 2, 8)
                .randomInit("wg", 5, 10, 8)
                .randomInit("bg", 6, 10)
                .node("Gemm", "fc", List.of("x", "wg", "bg"), List.of("y"), Attributes.of("transB", 1L))
                .output("y")
                .build();
        LayerQuantization q = quantizeAll(model, ACT).getFirst();
        assertThat(q.weightScales()).hasSize(1);

        OnnxModel deploy = DeployExporter.export(model, List.of(q));

        assertThat(opTypes(deploy)).containsExactly("AscendQuant", "Gemm", "AscendDequant");
        NodeProto gemm = node(deploy, "Gemm", 0);
        assertThat(Attributes.getInt(gemm, "transB", 0)).isEqualTo(1);
        assertThat(init(deploy, "wg").getDimsList()).containsExactly(10L, 8L);
        assertThat(init(deploy, "wg").getDataType()).isEqualTo(DataType.INT8.onnxCode());
        assertThat(init(deploy, "bg").getDataType()).isEqualTo(DataType.INT32.onnxCode());
        assertThat(init(deploy, "bg").getDimsList()).containsExactly(10L);
        assertDeqScale(deploy, "fc.dequant.param", q);
    }

    @Test
    void matMulWithoutBias() {
        OnnxModel model = TinyGraphs.graph()
                .input("x", 2, 8)
                .randomInit("wm", 7, 8, 3)
                .node("MatMul", "mm", List.of("x", "wm"), List.of("y"))
                .output("y")
                .build();
        LayerQuantization q = quantizeAll(model, ACT).getFirst();

        OnnxModel deploy = DeployExporter.export(model, List.of(q));

        assertThat(opTypes(deploy)).containsExactly("AscendQuant", "MatMul", "AscendDequant");
        assertThat(node(deploy, "MatMul", 0).getInputCount()).isEqualTo(2);
        assertThat(init(deploy, "wm").getDataType()).isEqualTo(DataType.INT8.onnxCode());
        assertDeqScale(deploy, "mm.dequant.param", q);
    }

    @Test
    void averagePoolGetsQuantAndDequantWithDataScaleOnly() {
        OnnxModel model = TinyGraphs.graph()
                .input("x", 1, 2, 4, 4)
                .node("AveragePool", "pool", List.of("x"), List.of("y"), Attributes.ofInts("kernel_shape", 2, 2))
                .output("y")
                .build();
        LayerQuantization q = quantizeAll(model, ACT).getFirst();

        OnnxModel deploy = DeployExporter.export(model, List.of(q));

        assertThat(opTypes(deploy)).containsExactly("AscendQuant", "AveragePool", "AscendDequant");
        assertThat(deploy.proto().getGraph().getInitializerList())
                .extracting(TensorProto::getName)
                .containsExactly("pool.dequant.param");
        TensorProto param = init(deploy, "pool.dequant.param");
        assertThat(HandQuantization.initializer(deploy, "pool.dequant.param").toLongs())
                .containsExactly(Integer.toUnsignedLong(Float.floatToRawIntBits(ACT.scale())));
        assertThat(param.getDimsList()).containsExactly(1L);
    }

    @Test
    void layersReadingOneTensorWithEqualFactorsShareOneAscendQuant() {
        OnnxModel model = TinyGraphs.graph()
                .input("x", 1, 2, 4, 4)
                .randomInit("w1", 8, 3, 2, 1, 1)
                .randomInit("w2", 9, 3, 2, 1, 1)
                .randomInit("w3", 10, 3, 2, 1, 1)
                .node("Conv", "c1", List.of("x", "w1"), List.of("y1"))
                .node("Conv", "c2", List.of("x", "w2"), List.of("y2"))
                .node("Conv", "c3", List.of("x", "w3"), List.of("y3"))
                .output("y1")
                .output("y2")
                .output("y3")
                .build();
        Map<String, ActivationParams> acts = Map.of("c1", ACT, "c2", ACT, "c3", new ActivationParams(0.05f, 0));
        List<LayerQuantization> layers = HandQuantization.quantize(model, acts);

        OnnxModel deploy = DeployExporter.export(model, layers);

        List<NodeProto> quants = deploy.proto().getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("AscendQuant"))
                .toList();
        assertThat(quants).hasSize(2);
        assertThat(quants).extracting(NodeProto::getName).containsExactly("c1.quant", "c3.quant");
        assertThat(node(deploy, "Conv", 0).getInput(0)).isEqualTo(quants.get(0).getOutput(0));
        assertThat(node(deploy, "Conv", 1).getInput(0)).isEqualTo(quants.get(0).getOutput(0));
        assertThat(node(deploy, "Conv", 2).getInput(0)).isEqualTo(quants.get(1).getOutput(0));
        assertThat(opTypes(deploy).stream().filter(o -> o.equals("AscendDequant")))
                .hasSize(3);
        assertUniqueNames(deploy);
    }

    @Test
    void newNamesAvoidNamesAlreadyInTheModel() {
        OnnxModel model = TinyGraphs.graph()
                .input("x", 2, 8)
                .randomInit("wm", 7, 8, 3)
                .randomInit("conv.dequant.param", 11, 3)
                .node("Relu", "conv.quant", List.of("x"), List.of("conv.quant.output0"))
                .node("MatMul", "conv", List.of("conv.quant.output0", "wm"), List.of("y"))
                .node("Add", "conv.dequant", List.of("y", "conv.dequant.param"), List.of("conv.dequant.input0"))
                .output("conv.dequant.input0")
                .build();
        LayerQuantization q = quantizeAll(model, ACT).getFirst();

        OnnxModel deploy = DeployExporter.export(model, List.of(q));

        assertUniqueNames(deploy);
        assertThat(node(deploy, "AscendQuant", 0).getName()).isEqualTo("conv.quant_1");
        assertThat(node(deploy, "AscendDequant", 0).getName()).isEqualTo("conv.dequant_1");
        assertThat(node(deploy, "AscendDequant", 0).getInput(1)).isEqualTo("conv.dequant.param_1");
        assertThat(node(deploy, "AscendDequant", 0).getOutput(0)).isEqualTo("y");
    }

    @Test
    void exportIsDeterministic() {
        OnnxModel model = TinyGraphs.graph()
                .input("x", 1, 4, 5, 5)
                .randomInit("w", 1, 6, 2, 3, 3)
                .randomInit("b", 2, 6)
                .node("Conv", "conv", List.of("x", "w", "b"), List.of("y"), Attributes.of("group", 2L))
                .output("y")
                .build();
        List<LayerQuantization> layers = quantizeAll(model, ACT);
        assertThat(DeployExporter.export(model, layers).proto().toByteArray())
                .isEqualTo(DeployExporter.export(model, layers).proto().toByteArray());
    }

    @Test
    void deqScaleEncodingKeepsFloatBitsInTheLowWord() {
        assertThat(AscendOps.encodeDeqScale(1f)).isEqualTo(0x3F80_0000L);
        assertThat(AscendOps.encodeDeqScale(Float.MAX_VALUE)).isEqualTo(0x7F7F_FFFFL);
        float f = 0.00123f;
        assertThat(AscendOps.decodeDeqScale(AscendOps.encodeDeqScale(f))).isEqualTo(f);
        assertThat(AscendOps.weightOffset(0x0000_FF00_3F80_0000L)).isEqualTo(-1);
        assertThat(AscendOps.weightOffset(AscendOps.encodeDeqScale(f))).isZero();
    }

    @Test
    void refusesAnEmptyQuantizationAsUnfinishedCalibration() {
        OnnxModel model = TinyGraphs.graph().input("x", 1).output("x").build();
        assertThatThrownBy(() -> DeployExporter.export(model, List.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("calibration not finished");
    }

    @Test
    void refusesFactorsThatDoNotFitTheLayer() {
        OnnxModel model = TinyGraphs.graph()
                .input("x", 1, 4, 5, 5)
                .randomInit("w", 1, 6, 2, 3, 3)
                .randomInit("b", 2, 6)
                .node("Conv", "conv", List.of("x", "w", "b"), List.of("y"), Attributes.of("group", 2L))
                .output("y")
                .build();
        LayerQuantization q = quantizeAll(model, ACT).getFirst();
        QuantizableLayer layer = q.layer();

        LayerQuantization floatWeight = new LayerQuantization(
                layer, ACT, q.weightScales(), Tensor.ofFloats(layer.weightShape(), new float[108]), q.bias());
        assertThatThrownBy(() -> DeployExporter.export(model, List.of(floatWeight)))
                .isInstanceOf(LayerQuantizationException.class)
                .hasMessageContaining("layer 'conv'")
                .hasMessageContaining("must be int8[6, 2, 3, 3]");

        LayerQuantization wrongScales = new LayerQuantization(layer, ACT, new float[] {1f, 2f}, q.weight(), q.bias());
        assertThatThrownBy(() -> DeployExporter.export(model, List.of(wrongScales)))
                .isInstanceOf(LayerQuantizationException.class)
                .hasMessageContaining("2 weight scales for 6 output channels");

        LayerQuantization noBias = new LayerQuantization(layer, ACT, q.weightScales(), q.weight(), null);
        assertThatThrownBy(() -> DeployExporter.export(model, List.of(noBias)))
                .isInstanceOf(LayerQuantizationException.class)
                .hasMessageContaining("has bias 'b' but no INT32 bias");

        assertThatThrownBy(() -> DeployExporter.export(model, List.of(q, q)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("quantized twice");
    }
}
