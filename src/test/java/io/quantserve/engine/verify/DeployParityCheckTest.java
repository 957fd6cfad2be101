package io.quantserve.engine.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.export.DeployExporter;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.TensorProtos;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.quant.ActivationParams;
import io.quantserve.engine.quant.LayerQuantization;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.HandQuantization;
import io.quantserve.testing.TinyGraphs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parity of the deploy model's integer reference with a fake_quant model built by hand, on a chain that holds
 * every layer kind: Conv (groups 2, bias) and a second Conv on the same input (shared AscendQuant),
 * ConvTranspose (groups 2, bias), AveragePool, Gemm (transB, bias) and MatMul.
 */
class DeployParityCheckTest {
    private static OnnxModel floatModel;
    private static List<Map<String, Tensor>> feeds;
    private static List<LayerQuantization> layers;
    private static OnnxModel fakeQuant;
    private static OnnxModel deploy;

    @TempDir
    Path tmp;

    @BeforeAll
    static void quantizeTheChain() {
        floatModel = TinyGraphs.graph()
                .input("x", 1, 4, 6, 6)
                .randomInit("wA", 1, 4, 2, 3, 3)
                .randomInit("bA", 2, 4)
                .randomInit("wB", 3, 4, 4, 1, 1)
                .randomInit("wT", 4, 4, 2, 2, 2)
                .randomInit("bT", 5, 4)
                .randomInit("wG", 6, 10, 144)
                .randomInit("bG", 7, 10)
                .randomInit("wM", 8, 10, 3)
                .node(
                        "Conv",
                        "convA",
                        List.of("x", "wA", "bA"),
                        List.of("a"),
                        Attributes.of("group", 2L),
                        Attributes.ofInts("pads", 1, 1, 1, 1))
                .node("Conv", "convB", List.of("x", "wB"), List.of("b"))
                .node("Add", "add", List.of("a", "b"), List.of("c"))
                .node("Relu", "relu", List.of("c"), List.of("d"))
                .node(
                        "ConvTranspose",
                        "deconv",
                        List.of("d", "wT", "bT"),
                        List.of("e"),
                        Attributes.of("group", 2L),
                        Attributes.ofInts("strides", 2, 2))
                .node(
                        "AveragePool",
                        "pool",
                        List.of("e"),
                        List.of("f"),
                        Attributes.ofInts("kernel_shape", 2, 2),
                        Attributes.ofInts("strides", 2, 2))
                .node("Flatten", "flatten", List.of("f"), List.of("g"))
                .node("Gemm", "gemm", List.of("g", "wG", "bG"), List.of("h"), Attributes.of("transB", 1L))
                .node("MatMul", "mm", List.of("h", "wM"), List.of("y"))
                .output("y")
                .output("f")
                .build();
        feeds = List.of(
                Map.of("x", TinyGraphs.randomTensor(100, 1, 4, 6, 6)),
                Map.of("x", TinyGraphs.randomTensor(101, 1, 4, 6, 6)),
                Map.of("x", TinyGraphs.randomTensor(102, 1, 4, 6, 6)));
        Map<String, ActivationParams> acts = HandQuantization.minMaxActivations(floatModel, feeds);
        layers = HandQuantization.quantize(floatModel, acts);
        fakeQuant = HandQuantization.fakeQuant(floatModel, layers);
        deploy = DeployExporter.export(floatModel, layers);
    }

    @Test
    void theChainCoversEveryLayerKindWithAsymmetricFactors() {
        assertThat(layers)
                .extracting(q -> q.layer().name())
                .containsExactly("convA", "convB", "deconv", "pool", "gemm", "mm");
        assertThat(layers).anyMatch(q -> q.activation().offset() != 0);
        assertThat(layers.get(2).weightScales()).hasSize(4);
        assertThat(deploy.proto().getGraph().getNodeList().stream()
                        .filter(n -> n.getOpType().equals("AscendQuant")))
                .as("convA and convB share one AscendQuant")
                .hasSize(5);
    }

    @Test
    void deployReferenceMatchesFakeQuantExactly() {
        Path deployFile = tmp.resolve("m_deploy_model.onnx");
        Path fakeFile = tmp.resolve("m_fake_quant_model.onnx");
        ModelIo.save(deploy, deployFile);
        ModelIo.save(fakeQuant, fakeFile);

        ParityReport report = DeployParityCheck.check(deployFile, fakeFile, feeds, 1e-6);

        assertThat(report.samples()).isEqualTo(3);
        assertThat(report.outputs()).extracting(OutputParity::name).containsExactly("y", "f");
        assertThat(report.outputs()).extracting(OutputParity::elements).containsExactly(9L, 432L);
        assertThat(report.passed()).isTrue();
        assertThat(report.maxAbsDiff()).isZero();
        assertThat(report.integerExact()).isTrue();
        assertThat(report.accumulation())
                .extracting(AccumulationBound::layer)
                .containsExactly("convA", "convB", "deconv", "gemm", "mm");
        // ConvTranspose: C_in/group = 2 input channels times a 2x2 kernel contribute to each output value.
        assertThat(report.accumulation().get(2).terms()).isEqualTo(8);
        assertThat(report.accumulation().get(3).terms()).isEqualTo(144);
    }

    @Test
    void quantizedOutputsStayCloseToFloatButAreNotIdentical() {
        ParityReport againstFloat = DeployParityCheck.check(deploy, floatModel, feeds, 1e-6);
        assertThat(againstFloat.passed())
                .as("quantization must change the numbers")
                .isFalse();
        assertThat(againstFloat.outputs().getFirst().maxRelDiff()).isLessThan(0.5);
    }

    @Test
    void aCorruptedDeployWeightFailsTheCheck() {
        OnnxModel corrupted = withInitializer(deploy, "wG", t -> {
            byte[] raw = t.getRawData().toByteArray();
            raw[17] = (byte) (raw[17] > 0 ? raw[17] - 40 : raw[17] + 40);
            return t.toBuilder().setRawData(ByteString.copyFrom(raw)).build();
        });

        ParityReport report = DeployParityCheck.check(corrupted, fakeQuant, feeds, 1e-6);

        assertThat(report.passed()).isFalse();
        assertThat(report.outputs().getFirst().maxAbsDiff()).isGreaterThan(1e-3);
        assertThat(report.outputs().get(1).maxAbsDiff())
                .as("f is computed before the Gemm")
                .isZero();
    }

    @Test
    void aCorruptedDeqScaleFailsTheCheck() {
        OnnxModel corrupted = withInitializer(deploy, "convB.dequant.param", t -> {
            Tensor v = TensorProtos.toTensor(t, null);
            long[] packed = v.toLongs();
            packed[1] = Integer.toUnsignedLong(Float.floatToRawIntBits(Float.intBitsToFloat((int) packed[1]) * 1.5f));
            return TensorProtos.fromTensor(t.getName(), uint64(packed));
        });
        assertThat(DeployParityCheck.check(corrupted, fakeQuant, feeds, 1e-6).passed())
                .isFalse();
    }

    @Test
    void theReferenceComparesWithFakeQuantOutputsTheCallerComputed() {
        Path fakeFile = tmp.resolve("fake.onnx");
        ModelIo.save(fakeQuant, fakeFile);
        ParityReport whole = DeployParityCheck.check(deploy, fakeQuant, feeds, 1e-6);
        OnnxModel corrupted = withInitializer(deploy, "wG", t -> {
            byte[] raw = t.getRawData().toByteArray();
            raw[17] = (byte) (raw[17] > 0 ? raw[17] - 40 : raw[17] + 40);
            return t.toBuilder().setRawData(ByteString.copyFrom(raw)).build();
        });

        try (InferenceSession fq = InferenceSession.open(fakeFile, SessionSettings.unoptimized());
                DeployParityCheck.Reference good = DeployParityCheck.Reference.open(deploy, tmp);
                DeployParityCheck.Reference bad = DeployParityCheck.Reference.open(corrupted, tmp)) {
            good.requireOutputs(List.of("f", "y"));
            assertThat(good.outputs()).containsExactly("y", "f");
            for (Map<String, Tensor> feed : feeds) {
                Map<String, Tensor> outputs = fq.run(feed, List.of("y", "f"));
                good.compare(feed, outputs);
                bad.compare(feed, outputs);
            }
            ParityReport incremental = good.report(1e-6, feeds.size());
            assertThat(incremental).isEqualTo(whole);
            assertThat(incremental.maxAbsDiff()).isZero();
            assertThat(bad.report(1e-6, feeds.size()).passed()).isFalse();

            assertThatThrownBy(() -> good.requireOutputs(List.of("y")))
                    .isInstanceOf(InvalidModelException.class)
                    .hasMessageContaining("differ from the fake_quant model's [y]");
            assertThatThrownBy(() -> good.compare(feeds.getFirst(), Map.of()))
                    .isInstanceOf(InvalidModelException.class)
                    .hasMessageContaining("lacks the deploy model's output 'y'");
        }
        assertThat(tmp).isDirectoryNotContaining("glob:**deploy-reference*");
    }

    @Test
    void loweringLeavesNoAscendOperatorAndKeepsIntegerInitializers() {
        DeployLowering.Lowered lowered = DeployLowering.lower(deploy);
        GraphProto g = lowered.model().proto().getGraph();
        assertThat(g.getNodeList()).noneMatch(n -> n.getOpType().startsWith("Ascend"));
        assertThat(g.getNodeList())
                .filteredOn(n -> n.getOpType().equals("Cast") && Attributes.getInt(n, "to", 0) == 3)
                .hasSize(5);
        assertThat(g.getInitializerList())
                .filteredOn(t -> t.getName().equals("wG"))
                .extracting(TensorProto::getDataType)
                .containsExactly(DataType.INT8.onnxCode());
        assertThat(g.getInitializerList()).noneMatch(t -> t.getDataType() == DataType.UINT64.onnxCode());
        NodeProto deqMul = g.getNodeList().stream()
                .filter(n -> n.getName().equals("deconv.dequant/mul"))
                .findFirst()
                .orElseThrow();
        TensorProto deq = g.getInitializerList().stream()
                .filter(t -> t.getName().equals(deqMul.getInput(1)))
                .findFirst()
                .orElseThrow();
        assertThat(deq.getDimsList()).as("broadcast over NCHW channels").containsExactly(4L, 1L, 1L);
    }

    @Test
    void reportsLayersWhoseFloatAccumulationMayRound() {
        OnnxModel model = TinyGraphs.graph()
                .input("x", 1, 1100)
                .randomInit("wBig", 1, 1100, 2)
                .randomInit("wSmall", 2, 2, 3)
                .node("MatMul", "big", List.of("x", "wBig"), List.of("h"))
                .node("MatMul", "small", List.of("h", "wSmall"), List.of("y"))
                .output("y")
                .build();
        List<LayerQuantization> q = HandQuantization.quantize(
                model, Map.of("big", new ActivationParams(0.01f, 0), "small", new ActivationParams(0.01f, -100)));

        DeployLowering.Lowered lowered = DeployLowering.lower(DeployExporter.export(model, q));

        AccumulationBound big = lowered.accumulation().get(0);
        AccumulationBound small = lowered.accumulation().get(1);
        assertThat(big.layer()).isEqualTo("big");
        assertThat(big.terms()).isEqualTo(1100);
        assertThat(big.bound()).isEqualTo(127L * 128 * 1100).isGreaterThan(AccumulationBound.FLOAT_EXACT_LIMIT);
        assertThat(big.exact()).isFalse();
        // offset -100: activations q - offset reach 127 + 100 = 227 in magnitude.
        assertThat(small.bound()).isEqualTo(127L * 227 * 2);
        assertThat(small.exact()).isTrue();
        ParityReport report = new ParityReport(0, 1, List.of(), lowered.accumulation());
        assertThat(report.integerExact()).isFalse();
        assertThat(report.inexactLayers()).extracting(AccumulationBound::layer).containsExactly("big");
    }

    @Test
    void refusesAscendSemanticsItDoesNotInterpret() {
        OnnxModel floor = withNode(
                deploy,
                "gemm.quant",
                n -> n.toBuilder()
                        .clearAttribute()
                        .addAllAttribute(n.getAttributeList().stream()
                                .map(a -> a.getName().equals("round_mode") ? Attributes.of("round_mode", "Floor") : a)
                                .toList())
                        .build());
        assertThatThrownBy(() -> DeployLowering.lower(floor))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("AscendQuant node 'gemm.quant'")
                .hasMessageContaining("round_mode 'Floor'");

        OnnxModel offsetW = withInitializer(deploy, "mm.dequant.param", t -> {
            long[] packed = TensorProtos.toTensor(t, null).toLongs();
            packed[0] |= 3L << 40;
            return TensorProtos.fromTensor(t.getName(), uint64(packed));
        });
        assertThatThrownBy(() -> DeployLowering.lower(offsetW))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("AscendDequant node 'mm.dequant'")
                .hasMessageContaining("offset_w 3");

        OnnxModel requant = withNode(
                deploy,
                "mm.dequant",
                n -> n.toBuilder().setOpType("AscendRequant").build());
        assertThatThrownBy(() -> DeployLowering.lower(requant))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("'mm.dequant' is an AscendRequant");
    }

    private static Tensor uint64(long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) b.putLong(v);
        return Tensor.ofBytes(DataType.UINT64, new long[] {values.length}, b.flip());
    }

    private static OnnxModel withInitializer(OnnxModel m, String name, UnaryOperator<TensorProto> f) {
        GraphProto.Builder g = m.proto().getGraph().toBuilder();
        boolean found = false;
        for (int i = 0; i < g.getInitializerCount(); i++) {
            if (g.getInitializer(i).getName().equals(name)) {
                g.setInitializer(i, f.apply(g.getInitializer(i)));
                found = true;
            }
        }
        assertThat(found).as("initializer " + name).isTrue();
        return m.withProto(m.proto().toBuilder().setGraph(g).build());
    }

    private static OnnxModel withNode(OnnxModel m, String name, UnaryOperator<NodeProto> f) {
        GraphProto.Builder g = m.proto().getGraph().toBuilder();
        boolean found = false;
        for (int i = 0; i < g.getNodeCount(); i++) {
            if (g.getNode(i).getName().equals(name)) {
                g.setNode(i, f.apply(g.getNode(i)));
                found = true;
            }
        }
        assertThat(found).as("node " + name).isTrue();
        return m.withProto(m.proto().toBuilder().setGraph(g).build());
    }
}
