package io.quantserve.engine.export;

import static io.quantserve.testing.ScopeAssertions.assertNamesUnique;
import static io.quantserve.testing.ScopeAssertions.cosine;
import static io.quantserve.testing.ScopeAssertions.count;
import static io.quantserve.testing.ScopeAssertions.initializer;
import static io.quantserve.testing.ScopeAssertions.initializerNames;
import static io.quantserve.testing.ScopeAssertions.node;
import static io.quantserve.testing.ScopeAssertions.producer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.tuple;

import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.config.ActivationAlgorithm;
import io.quantserve.engine.layers.LayerFinder;
import io.quantserve.engine.layers.QuantizableLayer;
import io.quantserve.engine.onnx.GraphScopes;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.quant.LayerPlan;
import io.quantserve.engine.quant.LayerQuantization;
import io.quantserve.engine.quant.LayerQuantizations;
import io.quantserve.engine.quant.LayerQuantizer;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.engine.verify.DeployLowering;
import io.quantserve.engine.verify.DeployParityCheck;
import io.quantserve.engine.verify.ParityReport;
import io.quantserve.engine.weights.BiasOverflowPolicy;
import io.quantserve.testing.ControlFlowModels;
import io.quantserve.testing.TinyModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layers inside If/Loop bodies, quantized end to end (engine calibration → fake-quant, INT8 and deploy models):
 * the edits land in the layer's own subgraph, names stay unique model-wide, and the numbers track float.
 */
class SubgraphExportTest {
    private static final String THEN = "choose/then_branch";
    private static final String ELSE = "choose/else_branch";
    private static final String BODY = "loop/body";
    private static final String NESTED_THEN = "outer/body/branch/then_branch";
    private static final String NESTED_ELSE = "outer/body/branch/else_branch";

    @TempDir
    Path tmp;

    /** The three quantized forms of a model. */
    private record Exported(
            OnnxModel model, List<LayerQuantization> layers, OnnxModel fake, OnnxModel int8, OnnxModel deploy) {}

    private Exported export(OnnxModel model, List<Map<String, Tensor>> batches) {
        List<LayerPlan> plans = LayerFinder.scan(model.proto()).layers().stream()
                .map(l -> new LayerPlan(l, l.type().channelWiseByDefault(), true))
                .toList();
        var result = LayerQuantizer.computeFactors(
                model,
                plans,
                p -> new ActivationAlgorithm.MinMax(),
                batches.iterator(),
                batches.size(),
                SessionSettings.defaults(),
                ProgressListener.NONE,
                tmp);
        List<LayerQuantization> layers = plans.stream()
                .map(p -> LayerQuantizations.build(
                                model, p.layer(), result.factors().get(p.layer().name()), BiasOverflowPolicy.FAIL)
                        .orElseThrow())
                .toList();
        return new Exported(
                model,
                layers,
                FakeQuantExporter.export(model, layers),
                Int8Exporter.export(model, layers),
                DeployExporter.export(model, layers));
    }

    private static List<Map<String, Tensor>> ifFeeds() {
        List<Map<String, Tensor>> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) out.add(Map.of("x", ifBatch(40 + i, i % 2 == 0)));
        return out;
    }

    private static Tensor ifBatch(long seed, boolean positive) {
        float[] v = TinyModel.random(seed, -1f, 1f, 2, 2, 5, 5).toFloats();
        for (int i = 0; i < v.length; i++) v[i] += positive ? 0.4f : -0.4f;
        return Tensor.ofFloats(new long[] {2, 2, 5, 5}, v);
    }

    private static List<Map<String, Tensor>> vectorFeeds(long seed) {
        List<Map<String, Tensor>> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) out.add(Map.of("x", TinyModel.random(seed + i, -1f, 1f, 3, 4)));
        return out;
    }

    private static float[] run(OnnxModel m, Map<String, Tensor> feed, String output) {
        try (var s = InferenceSession.open(m.proto().toByteArray(), "test", SessionSettings.unoptimized())) {
            return s.run(feed).get(output).toFloats();
        }
    }

    /** The layer reads the end of a quantize chain (a Sub) of its own scope and keeps its scope. */
    private static void assertQuantizedInScope(OnnxModel fake, String scope, String layer) {
        NodeProto n = node(fake, scope, layer);
        assertThat(producer(fake, scope, n.getInput(0)).getOpType()).as(layer).isEqualTo("Sub");
    }

    /** Numerics shared by all models: fake-quant tracks float, INT8 equals fake-quant, deploy parity is exact. */
    private void assertNumerics(Exported e, List<Map<String, Tensor>> feeds, String output) {
        for (Map<String, Tensor> feed : feeds) {
            float[] ref = run(e.model(), feed, output);
            float[] fq = run(e.fake(), feed, output);
            float[] i8 = run(e.int8(), feed, output);
            assertThat(cosine(ref, fq)).as("cosine fake-quant vs float").isGreaterThan(0.99);
            for (int k = 0; k < fq.length; k++) {
                assertThat(i8[k]).as("int8 vs fake-quant").isCloseTo(fq[k], offset(1e-5f + Math.abs(fq[k]) * 1e-5f));
            }
        }
        ModelProto lowered = DeployLowering.lower(e.deploy()).model().proto();
        for (String scope : GraphScopes.all(lowered)) {
            assertThat(GraphScopes.graph(lowered, scope).getNodeList())
                    .as("Ascend operators left in '" + scope + "'")
                    .noneMatch(n -> n.getOpType().startsWith("Ascend"));
        }
        ParityReport parity = DeployParityCheck.check(e.deploy(), e.fake(), feeds, 1e-6);
        assertThat(parity.passed()).isTrue();
        assertThat(parity.maxAbsDiff()).isLessThanOrEqualTo(1e-6);
        assertThat(parity.accumulation())
                .extracting(b -> b.layer())
                .containsExactlyInAnyOrderElementsOf(
                        e.layers().stream().map(l -> l.layer().name()).toList());
        assertThat(parity.integerExact()).isTrue();
    }

    @Test
    void ifBranchConvsAreQuantizedInTheirBranches() {
        Exported e = export(ControlFlowModels.ifWithConvs(), ifFeeds());
        assertThat(e.layers())
                .extracting(l -> l.layer().name(), l -> l.layer().scope())
                .containsExactly(tuple("conv_then", THEN), tuple("conv_else", ELSE), tuple("conv_main", ""));

        OnnxModel fq = e.fake();
        assertQuantizedInScope(fq, THEN, "conv_then");
        assertQuantizedInScope(fq, ELSE, "conv_else");
        assertQuantizedInScope(fq, "", "conv_main");
        for (String scope : List.of("", THEN, ELSE))
            assertThat(count(fq, scope, "Round")).as(scope).isEqualTo(1);
        assertThat(initializerNames(fq, "")).doesNotContain("w_else", "b_else");
        assertThat(initializerNames(fq, ELSE)).contains("w_else_int", "conv_else_bias_int");
        assertThat(initializerNames(fq, THEN)).contains("w_then_int").doesNotContain("w_then", "b_then");
        assertNamesUnique(fq.proto());

        OnnxModel i8 = e.int8();
        // Conv runs on exact integers in float: DequantizeLinear input, INT8 weight cast once (see Int8Exporter).
        for (String scope : List.of(THEN, ELSE)) {
            assertThat(count(i8, scope, "QuantizeLinear")).as(scope).isEqualTo(1);
            assertThat(count(i8, scope, "DequantizeLinear")).as(scope).isEqualTo(1);
            assertThat(count(i8, scope, "Conv")).as(scope).isEqualTo(1);
        }
        assertThat(initializer(i8, ELSE, "w_else_int8").getDataType()).isEqualTo(DataType.INT8.onnxCode());
        assertThat(initializerNames(i8, "")).doesNotContain("w_else", "b_else");
        assertNamesUnique(i8.proto());

        OnnxModel deploy = e.deploy();
        NodeProto conv = node(deploy, ELSE, "conv_else");
        assertThat(producer(deploy, ELSE, conv.getInput(0)).getOpType()).isEqualTo("AscendQuant");
        assertThat(node(deploy, ELSE, "conv_else.dequant").getOpType()).isEqualTo("AscendDequant");
        assertThat(initializer(deploy, ELSE, "w_else").getDataType())
                .as("INT8 weight moved into the branch under its name")
                .isEqualTo(DataType.INT8.onnxCode());
        assertThat(initializer(deploy, ELSE, "b_else").getDataType()).isEqualTo(DataType.INT32.onnxCode());
        assertThat(initializerNames(deploy, "")).doesNotContain("w_else", "b_else");
        assertThat(initializer(deploy, THEN, "w_then").getDataType()).isEqualTo(DataType.INT8.onnxCode());
        assertNamesUnique(deploy.proto());

        assertNumerics(e, ifFeeds(), "y");
    }

    @Test
    void loopBodyMatMulIsQuantizedInTheBody() {
        OnnxModel model = ControlFlowModels.loopWithMatMul();
        Exported e = export(model, vectorFeeds(60));
        QuantizableLayer mm = e.layers().getFirst().layer();
        assertThat(mm.name()).isEqualTo("mm_body");
        assertThat(mm.scope()).isEqualTo(BODY);

        assertQuantizedInScope(e.fake(), BODY, "mm_body");
        assertThat(count(e.fake(), "", "Round")).isZero();
        assertThat(initializerNames(e.fake(), BODY)).contains("w_body_int").doesNotContain("w_body");
        assertThat(count(e.int8(), BODY, "MatMulInteger")).isEqualTo(1);
        assertThat(count(e.deploy(), BODY, "AscendQuant")).isEqualTo(1);
        assertThat(initializer(e.deploy(), BODY, "w_body").getDataType()).isEqualTo(DataType.INT8.onnxCode());
        for (OnnxModel m : List.of(e.fake(), e.int8(), e.deploy())) assertNamesUnique(m.proto());

        assertNumerics(e, vectorFeeds(70), "h_final");
        assertNumerics(e, vectorFeeds(70), "m_all");
        // scale_d covers every iteration: the largest |h| of the last iteration fits without clipping.
        float maxLastInput = 0;
        for (Map<String, Tensor> f : vectorFeeds(60)) {
            float[] mAll = run(model, f, "m_all");
            for (int k = 12; k < 24; k++) maxLastInput = Math.max(maxLastInput, mAll[k]);
        }
        LayerQuantization q = e.layers().getFirst();
        float representable = (127 - q.activation().offset()) * q.activation().scale();
        assertThat(maxLastInput).as("the last iteration reads values beyond x").isGreaterThan(1.3f);
        assertThat(representable).isGreaterThanOrEqualTo(maxLastInput * 0.95f);
    }

    @Test
    void scanBodyMatMulIsQuantizedInTheBody() {
        Exported e = export(ControlFlowModels.scanWithMatMul(), vectorFeeds(100));
        assertThat(e.layers().getFirst().layer().scope()).isEqualTo("scan/body");
        assertQuantizedInScope(e.fake(), "scan/body", "mm_scan");
        assertThat(count(e.int8(), "scan/body", "MatMulInteger")).isEqualTo(1);
        assertThat(count(e.deploy(), "scan/body", "AscendQuant")).isEqualTo(1);
        for (OnnxModel m : List.of(e.fake(), e.int8(), e.deploy())) assertNamesUnique(m.proto());
        assertNumerics(e, vectorFeeds(110), "ys");
    }

    @Test
    void ifNestedInALoopBodyIsQuantizedInItsBranches() {
        Exported e = export(ControlFlowModels.loopWithIf(), vectorFeeds(80));
        assertThat(e.layers())
                .extracting(l -> l.layer().name(), l -> l.layer().scope())
                .containsExactly(tuple("mm_then", NESTED_THEN), tuple("mm_else", NESTED_ELSE), tuple("mm_main", ""));

        assertQuantizedInScope(e.fake(), NESTED_THEN, "mm_then");
        assertQuantizedInScope(e.fake(), NESTED_ELSE, "mm_else");
        assertQuantizedInScope(e.fake(), "", "mm_main");
        assertThat(count(e.fake(), "outer/body", "Round")).isZero();
        assertThat(initializerNames(e.fake(), NESTED_ELSE)).contains("w_else_int");
        assertThat(initializerNames(e.fake(), "")).doesNotContain("w_else");
        assertThat(count(e.int8(), NESTED_THEN, "MatMulInteger")).isEqualTo(1);
        assertThat(count(e.int8(), NESTED_ELSE, "MatMulInteger")).isEqualTo(1);
        assertThat(initializer(e.deploy(), NESTED_ELSE, "w_else").getDataType()).isEqualTo(DataType.INT8.onnxCode());
        assertThat(initializerNames(e.deploy(), "")).doesNotContain("w_else");
        for (OnnxModel m : List.of(e.fake(), e.int8(), e.deploy())) assertNamesUnique(m.proto());

        assertNumerics(e, vectorFeeds(90), "y");
    }
}
