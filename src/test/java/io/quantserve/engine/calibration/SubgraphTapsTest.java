package io.quantserve.engine.calibration;

import static io.quantserve.testing.ScopeAssertions.assertNamesUnique;
import static io.quantserve.testing.ScopeAssertions.producer;
import static io.quantserve.testing.ScopeAssertions.weight;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.GraphScopes;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.ValueInfoProto;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.ControlFlowModels;
import io.quantserve.testing.TinyModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The calibration model surfaces tensors of If/Loop bodies, and observers see every iteration. */
class SubgraphTapsTest {
    @TempDir
    Path tmp;

    /** A batch whose mean is clearly positive (then branch) or negative (else branch). */
    static Tensor ifBatch(long seed, boolean positive) {
        float[] v = TinyModel.random(seed, -1f, 1f, 2, 2, 5, 5).toFloats();
        for (int i = 0; i < v.length; i++) v[i] += positive ? 0.4f : -0.4f;
        return Tensor.ofFloats(new long[] {2, 2, 5, 5}, v);
    }

    private static StreamingHistogram statisticsOf(List<TensorStatistics> seen, String tensor) {
        return seen.stream()
                .filter(t -> t.tensor().equals(tensor))
                .findFirst()
                .orElseThrow()
                .histogram();
    }

    private static Map<String, Tensor> run(ModelProto m, Map<String, Tensor> feed) {
        try (InferenceSession s = InferenceSession.open(m.toByteArray(), "test", SessionSettings.unoptimized())) {
            return s.run(feed);
        }
    }

    @Test
    void ifBranchTensorBecomesABranchOutputWithAPlaceholderInTheOtherBranch() {
        ModelProto model = ControlFlowModels.ifWithConvs().proto();

        SubgraphTaps.Tapped tapped = SubgraphTaps.tap(model, List.of("r", "m"));

        ModelProto aug = tapped.model();
        String out = tapped.outputs().get("r");
        assertThat(tapped.outputs()).containsEntry("m", "m");
        assertThat(aug.getGraph().getOutputList())
                .extracting(ValueInfoProto::getName)
                .containsExactly("y", out, "m");
        NodeProto choose = producer(aug.getGraph(), out);
        assertThat(choose.getName()).isEqualTo("choose");
        assertThat(choose.getOutputList()).containsExactly("h", out);
        GraphProto then = GraphScopes.graph(aug, "choose/then_branch");
        GraphProto otherwise = GraphScopes.graph(aug, "choose/else_branch");
        assertThat(then.getOutputCount()).isEqualTo(2);
        NodeProto identity = producer(then, then.getOutput(1).getName());
        assertThat(identity.getOpType()).isEqualTo("Identity");
        assertThat(identity.getInputList()).containsExactly("r");
        NodeProto placeholder = producer(otherwise, otherwise.getOutput(1).getName());
        assertThat(placeholder.getOpType()).isEqualTo("Constant");
        assertThat(placeholder.getAttribute(0).getT().getDimsList()).containsExactly(0L);
        assertNamesUnique(aug);

        Tensor pos = ifBatch(1, true);
        Map<String, Tensor> taken = run(aug, Map.of("x", pos));
        float[] x = pos.toFloats();
        float[] r = taken.get(out).toFloats();
        assertThat(r).hasSize(x.length);
        for (int i = 0; i < x.length; i++) assertThat(r[i]).isEqualTo(Math.max(0f, x[i]));
        assertThat(taken.get("y").toFloats())
                .as("original output unchanged")
                .containsExactly(run(model, Map.of("x", pos)).get("y").toFloats());
        assertThat(run(aug, Map.of("x", ifBatch(2, false))).get(out).size())
                .as("branch not taken: no values")
                .isZero();
    }

    @Test
    void loopBodyRangesCoverEveryIteration() {
        OnnxModel model = ControlFlowModels.loopWithMatMul();
        List<Map<String, Tensor>> batches = List.of(
                Map.of("x", TinyModel.random(7, -1f, 1f, 3, 4)), Map.of("x", TinyModel.random(8, -1f, 1f, 3, 4)));

        List<TensorStatistics> seen = Calibrator.run(
                model,
                Map.of("h_in", List.of("mm_body"), "m", List.of("none")),
                batches.iterator(),
                2,
                SessionSettings.unoptimized(),
                ProgressListener.NONE,
                tmp);

        // By construction the body's MatMul reads x in iteration 0 and the previous iteration's result after
        // that, which the original model hands back as its scan output m_all[k].
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        float mLo = Float.POSITIVE_INFINITY;
        float mHi = Float.NEGATIVE_INFINITY;
        float xHi = Float.NEGATIVE_INFINITY;
        for (Map<String, Tensor> b : batches) {
            float[] x = b.get("x").toFloats();
            float[] mAll = run(model.proto(), b).get("m_all").toFloats();
            for (float v : x) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
                xHi = Math.max(xHi, v);
            }
            for (int k = 0; k < mAll.length; k++) {
                mLo = Math.min(mLo, mAll[k]);
                mHi = Math.max(mHi, mAll[k]);
                if (k < 2 * x.length) {
                    lo = Math.min(lo, mAll[k]);
                    hi = Math.max(hi, mAll[k]);
                }
            }
        }
        ClipRange h = new MinMaxObserver().range(statisticsOf(seen, "h_in"));
        assertThat(h.min()).isEqualTo(lo);
        assertThat(h.max()).isEqualTo(hi);
        assertThat(h.max()).as("later iterations reach beyond x").isGreaterThan(xHi * 1.3f);
        ClipRange m = new MinMaxObserver().range(statisticsOf(seen, "m"));
        assertThat(m.min()).isEqualTo(mLo);
        assertThat(m.max()).isEqualTo(mHi);
        assertThat(seen).allSatisfy(t -> assertThat(t.histogram().count()).isPositive());
    }

    @Test
    void loopTapIsACarriedSequenceAndKeepsTheOriginalOutputs() {
        ModelProto model = ControlFlowModels.loopWithMatMul().proto();

        SubgraphTaps.Tapped tapped = SubgraphTaps.tap(model, List.of("h_in"));

        ModelProto aug = tapped.model();
        NodeProto loop = producer(aug.getGraph(), "h_final");
        assertThat(loop.getInputCount()).isEqualTo(4);
        assertThat(loop.getOutputCount()).isEqualTo(3);
        assertThat(loop.getOutput(0)).isEqualTo("h_final");
        assertThat(loop.getOutput(2)).as("scan output stays last").isEqualTo("m_all");
        assertThat(producer(aug.getGraph(), tapped.outputs().get("h_in")).getOpType())
                .isEqualTo("ConcatFromSequence");
        GraphProto body = GraphScopes.graph(aug, "loop/body");
        assertThat(body.getInput(3).getType().hasSequenceType()).isTrue();
        assertThat(body.getOutput(2).getType().hasSequenceType())
                .as("new carried value before the scan outputs")
                .isTrue();
        assertThat(body.getOutput(3).getName()).isEqualTo("m");
        assertNamesUnique(aug);

        Map<String, Tensor> feed = Map.of("x", TinyModel.random(9, -1f, 1f, 2, 4));
        Map<String, Tensor> before = run(model, feed);
        Map<String, Tensor> after = run(aug, feed);
        for (String o : List.of("h_final", "m_all")) {
            assertThat(after.get(o).toFloats())
                    .as(o)
                    .containsExactly(before.get(o).toFloats());
        }
        assertThat(after.get(tapped.outputs().get("h_in")).shape()).containsExactly(1, 3 * 2 * 4);
    }

    @Test
    void nestedIfInsideLoopSeesOnlyTheIterationsThatTakeEachBranch() {
        ModelProto model = ControlFlowModels.loopWithIf().proto();
        SubgraphTaps.Tapped tapped = SubgraphTaps.tap(model, List.of("a", "b"));
        assertNamesUnique(tapped.model());

        Tensor x = TinyModel.random(5, -1f, 1f, 2, 4);
        Map<String, Tensor> out = run(tapped.model(), Map.of("x", x));
        float[] a = out.get(tapped.outputs().get("a")).toFloats();
        float[] b = out.get(tapped.outputs().get("b")).toFloats();

        // By construction: h1 = tanh(x)·W_then, h2 = -h1·W_else; a = tanh(h) in iterations 0 and 2, b = -h1.
        float[] wThen = weight(model, "outer/body/branch/then_branch", "w_then");
        float[] wElse = weight(model, "", "w_else");
        float[] h0 = x.toFloats();
        float[] h1 = matmul(tanh(h0), wThen);
        float[] h2 = matmul(neg(h1), wElse);
        float[] expectedA = concat(tanh(h0), tanh(h2));
        float[] expectedB = neg(h1);
        assertThat(a).hasSize(expectedA.length);
        assertThat(b).hasSize(expectedB.length);
        for (int i = 0; i < a.length; i++) assertThat(a[i]).isCloseTo(expectedA[i], offset(1e-5f));
        for (int i = 0; i < b.length; i++) assertThat(b[i]).isCloseTo(expectedB[i], offset(1e-5f));
        assertThat(out.get("y").toFloats())
                .containsExactly(run(model, Map.of("x", x)).get("y").toFloats());
    }

    @Test
    void scanBodyTensorBecomesAScanOutput() {
        ModelProto model = ControlFlowModels.scanWithMatMul().proto();

        SubgraphTaps.Tapped tapped = SubgraphTaps.tap(model, List.of("r"));

        NodeProto scan = producer(tapped.model().getGraph(), "ys");
        String out = tapped.outputs().get("r");
        assertThat(scan.getOutputList()).containsExactly("ys", out);
        assertThat(Attributes.getInts(scan, "scan_output_axes")).containsExactly(0L, 0L);
        GraphProto body = GraphScopes.graph(tapped.model(), "scan/body");
        assertThat(producer(body, body.getOutput(1).getName()).getInputList()).containsExactly("r");
        assertNamesUnique(tapped.model());

        Tensor x = TinyModel.random(6, -1f, 1f, 3, 4);
        Map<String, Tensor> values = run(tapped.model(), Map.of("x", x));
        assertThat(values.get(out).shape()).containsExactly(3, 4);
        float[] xs = x.toFloats();
        float[] r = values.get(out).toFloats();
        for (int i = 0; i < xs.length; i++) assertThat(r[i]).isEqualTo(Math.max(0f, xs[i]));
        assertThat(values.get("ys").toFloats())
                .containsExactly(run(model, Map.of("x", x)).get("ys").toFloats());
    }

    @Test
    void aBranchNeverTakenIsReportedUnseen() {
        List<TensorStatistics> seen = Calibrator.run(
                ControlFlowModels.ifWithConvs(),
                Map.of("r", List.of("conv_then"), "y_else", List.of("probe")),
                List.of(Map.of("x", ifBatch(3, true)), Map.of("x", ifBatch(4, true)))
                        .iterator(),
                2,
                SessionSettings.unoptimized(),
                ProgressListener.NONE,
                tmp);
        assertThat(statisticsOf(seen, "y_else").count()).isZero();
        assertThat(statisticsOf(seen, "y_else").retainedBins()).isZero();
        assertThat(new MinMaxObserver().range(statisticsOf(seen, "y_else"))).isEqualTo(new ClipRange(0f, 0f));
        assertThat(new MinMaxObserver().range(statisticsOf(seen, "r")).max()).isGreaterThan(1f);
    }

    @Test
    void aTensorThatIsNowhereIsRefused() {
        assertThatThrownBy(
                        () -> SubgraphTaps.tap(ControlFlowModels.ifWithConvs().proto(), List.of("ghost")))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("'ghost'");
    }

    private static float[] tanh(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (float) Math.tanh(v[i]);
        return out;
    }

    private static float[] neg(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = -v[i];
        return out;
    }

    /** {@code [n,4] · [4,4]}. */
    private static float[] matmul(float[] a, float[] w) {
        float[] out = new float[a.length];
        for (int r = 0; r < a.length / 4; r++) {
            for (int c = 0; c < 4; c++) {
                float s = 0;
                for (int k = 0; k < 4; k++) s += a[r * 4 + k] * w[k * 4 + c];
                out[r * 4 + c] = s;
            }
        }
        return out;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
