package io.quantserve.engine.fusion;

import static io.quantserve.testing.ScopeAssertions.assertNamesUnique;
import static io.quantserve.testing.ScopeAssertions.initializerNames;
import static io.quantserve.testing.ScopeAssertions.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.ControlFlowModels;
import io.quantserve.testing.TinyModel;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GemmNormalizerTest {
    private static float[] run(OnnxModel m, Tensor x) {
        try (var s = InferenceSession.open(m.proto().toByteArray(), "test", SessionSettings.unoptimized())) {
            return s.run(Map.of("x", x)).get("h_final").toFloats();
        }
    }

    @Test
    void scaledGemmInALoopBodyGetsScaledConstantsInTheBody() {
        OnnxModel model = ControlFlowModels.loopWithScaledGemm();

        OnnxModel out = GemmNormalizer.apply(model);

        NodeProto gemm = node(out, "loop/body", "gemm_body");
        assertThat(gemm.getAttributeList()).extracting(AttributeProto::getName).doesNotContain("alpha", "beta");
        assertThat(gemm.getInputList()).containsExactly("h_in", "w_gemm_scaled", "c_gemm_scaled");
        assertThat(initializerNames(out, "loop/body")).containsExactly("w_gemm_scaled", "c_gemm_scaled");
        assertThat(initializerNames(out, "")).containsExactly("trips", "go");
        assertNamesUnique(out.proto());
        Tensor x = TinyModel.random(3, -1f, 1f, 2, 4);
        float[] before = run(model, x);
        float[] after = run(out, x);
        for (int i = 0; i < before.length; i++) assertThat(after[i]).isCloseTo(before[i], offset(1e-5f));
    }
}
