package io.quantserve.engine.layers;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.config.ConfigFactory;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.config.DmqLayers;
import io.quantserve.engine.config.QuantConfig;
import io.quantserve.engine.onnx.Attributes;
import io.quantserve.testing.TinyGraphs;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which layers read a normalization output: the decomposed LayerNormalization that pre-opset-17 exporters write, the
 * {@code LayerNormalization} operator, and not a plain division or a layer after an activation.
 */
class NormalizationFedTest {
    /**
     * x → decomposed LayerNorm (Div by Sqrt, Mul γ, Add β) → {@code q} (MatMul); → Relu → {@code after_relu}; x / Sqrt
     * without the affine part → {@code plain_norm}; x / constant → {@code divided}.
     */
    private static TinyGraphs decomposed() {
        return TinyGraphs.graph()
                .input("x", 2, 4)
                .randomInit("w_q", 1, 4, 4)
                .randomInit("w_r", 2, 4, 4)
                .randomInit("w_p", 3, 4, 4)
                .randomInit("w_d", 4, 4, 4)
                .init("eps", new long[] {}, new float[] {1e-5f})
                .init("two", new long[] {}, new float[] {2f})
                .randomInit("gamma", 5, 4)
                .randomInit("beta", 6, 4)
                .node("ReduceMean", "mean", List.of("x"), List.of("mu"), Attributes.ofInts("axes", -1))
                .node("Sub", "center", List.of("x", "mu"), List.of("xc"))
                .node("Pow", "square", List.of("xc", "two"), List.of("sq"))
                .node("ReduceMean", "variance", List.of("sq"), List.of("var"), Attributes.ofInts("axes", -1))
                .node("Add", "var_eps", List.of("var", "eps"), List.of("ve"))
                .node("Sqrt", "std", List.of("ve"), List.of("sd"))
                .node("Div", "standardize", List.of("xc", "sd"), List.of("z"))
                .node("Mul", "scale", List.of("z", "gamma"), List.of("zs"))
                .node("Add", "shift", List.of("beta", "zs"), List.of("ln"))
                .node("MatMul", "q", List.of("ln", "w_q"), List.of("yq"))
                .node("Relu", "act", List.of("ln"), List.of("r"))
                .node("MatMul", "after_relu", List.of("r", "w_r"), List.of("yr"))
                .node("MatMul", "plain_norm", List.of("z", "w_p"), List.of("yp"))
                .node("Div", "halve", List.of("x", "two"), List.of("h"))
                .node("MatMul", "divided", List.of("h", "w_d"), List.of("yd"))
                .output("yq")
                .output("yr")
                .output("yp")
                .output("yd");
    }

    @Test
    void layersReadingADecomposedLayerNormAreNormalizationFed() {
        LayerScan scan = LayerFinder.scan(decomposed().build().proto());
        assertThat(scan.layers())
                .extracting(QuantizableLayer::name)
                .containsExactly("q", "after_relu", "plain_norm", "divided");
        assertThat(scan.normalizationFed()).containsExactlyInAnyOrder("q", "plain_norm");
    }

    @Test
    void layersReadingTheLayerNormalizationOperatorAreNormalizationFed() {
        var model = TinyGraphs.graph()
                .input("x", 2, 4)
                .randomInit("gamma", 5, 4)
                .randomInit("beta", 6, 4)
                .randomInit("w", 1, 4, 4)
                .node("LayerNormalization", "ln", List.of("x", "gamma", "beta"), List.of("y"))
                .node("MatMul", "fc", List.of("y", "w"), List.of("out"))
                .output("out")
                .build();
        assertThat(LayerFinder.scan(model.proto()).normalizationFed()).containsExactly("fc");
    }

    @Test
    void normFedScopeWritesTheDmqParameterOnlyForNormalizationFedLayers() {
        LayerScan scan = LayerFinder.scan(decomposed().build().proto());
        QuantConfig all = ConfigFactory.create(
                scan, ConfigOptions.builder().dmqBalancerParam(0.5).build());
        QuantConfig normFed = ConfigFactory.create(
                scan,
                ConfigOptions.builder()
                        .dmqBalancerParam(0.5)
                        .dmqLayers(DmqLayers.NORMALIZATION_FED)
                        .build());
        assertThat(all.balancedLayers()).containsExactly("q", "after_relu", "plain_norm", "divided");
        assertThat(normFed.balancedLayers()).containsExactly("q", "plain_norm");
    }
}
