package io.quantserve.engine.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.calibration.ProgressListener;
import io.quantserve.engine.config.ActivationAlgorithm;
import io.quantserve.engine.layers.LayerFinder;
import io.quantserve.engine.layers.LayerScan;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import io.quantserve.engine.quant.LayerPlan;
import io.quantserve.engine.quant.LayerQuantization;
import io.quantserve.engine.quant.LayerQuantizations;
import io.quantserve.engine.quant.LayerQuantizer;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.engine.weights.BiasOverflowPolicy;
import io.quantserve.testing.SampleModels;
import io.quantserve.testing.TinyModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportersTest {
    @TempDir
    Path tmp;

    static OnnxModel model() {
        return SampleModels.allLayerKinds();
    }

    static List<Map<String, Tensor>> batches(int n) {
        List<Map<String, Tensor>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(Map.of("x", TinyModel.random(100 + i, -1f, 1f, 4, 2, 6, 6)));
        return out;
    }

    private List<LayerQuantization> quantize(OnnxModel model, boolean asymmetric) {
        LayerScan scan = LayerFinder.scan(model.proto());
        assertThat(scan.layers()).extracting(l -> l.name()).containsExactly("conv", "deconv", "pool", "fc", "proj");
        List<LayerPlan> plans = scan.layers().stream()
                .map(l -> new LayerPlan(l, l.type().channelWiseByDefault(), asymmetric))
                .toList();
        var result = LayerQuantizer.computeFactors(
                model,
                plans,
                p -> new ActivationAlgorithm.MinMax(),
                batches(3).iterator(),
                3,
                SessionSettings.defaults(),
                ProgressListener.NONE,
                tmp);
        return plans.stream()
                .map(p -> LayerQuantizations.build(
                                model, p.layer(), result.factors().get(p.layer().name()), BiasOverflowPolicy.FAIL)
                        .orElseThrow())
                .toList();
    }

    private static float[] run(OnnxModel m, Tensor x) {
        try (var s = InferenceSession.open(m.proto().toByteArray(), "test", SessionSettings.defaults())) {
            return s.run(Map.of("x", x)).get("y").toFloats();
        }
    }

    private static long count(OnnxModel m, String op) {
        return m.proto().getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals(op))
                .count();
    }

    @Test
    void fakeQuantHasAmctPatternPerLayerAndTracksFloat() {
        OnnxModel model = model();
        List<LayerQuantization> lqs = quantize(model, true);
        OnnxModel fq = FakeQuantExporter.export(model, lqs);

        assertThat(count(fq, "Round")).isEqualTo(5);
        assertThat(count(fq, "Clip")).isEqualTo(5);
        // every quantized layer reads a Sub (end of the quant chain) and feeds a Mul (dequant) writing the old name
        for (String layer : List.of("conv", "deconv", "pool", "fc", "proj")) {
            NodeProto n = fq.proto().getGraph().getNodeList().stream()
                    .filter(x -> x.getName().equals(layer))
                    .findFirst()
                    .orElseThrow();
            NodeProto producer = fq.proto().getGraph().getNodeList().stream()
                    .filter(x -> x.getOutputList().contains(n.getInput(0)))
                    .findFirst()
                    .orElseThrow();
            assertThat(producer.getOpType()).isEqualTo("Sub");
        }
        // weights are integer-valued floats within [-127, 127]
        for (TensorProto t : fq.proto().getGraph().getInitializerList()) {
            if (t.getName().startsWith("w") && t.getName().endsWith("_int")) {
                for (float v : Tensor.ofBytes(
                                DataType.FLOAT,
                                new long[] {t.getRawData().size() / 4},
                                t.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN))
                        .toFloats()) {
                    assertThat(v).isEqualTo((float) Math.rint(v)).isBetween(-127f, 127f);
                }
            }
        }
        Tensor x = TinyModel.random(999, -1f, 1f, 2, 2, 6, 6);
        float[] ref = run(model, x);
        float[] got = run(fq, x);
        assertThat(cosine(ref, got)).as("cosine fake-quant vs float").isGreaterThan(0.995);
    }

    @Test
    void int8ModelUsesIntegerOpsAndMatchesFakeQuant() {
        OnnxModel model = model();
        List<LayerQuantization> lqs = quantize(model, true);
        OnnxModel fq = FakeQuantExporter.export(model, lqs);
        OnnxModel int8 = Int8Exporter.export(model, lqs);

        assertThat(count(int8, "ConvInteger")).isZero();
        assertThat(count(int8, "DequantizeLinear"))
                .as("Conv, ConvTranspose and AveragePool inputs")
                .isEqualTo(3);
        assertThat(count(int8, "MatMulInteger")).isEqualTo(2);
        assertThat(count(int8, "QuantizeLinear")).isEqualTo(5);
        assertThat(int8.proto().getGraph().getInitializerList().stream()
                        .filter(t -> t.getName().startsWith("w"))
                        .map(TensorProto::getDataType))
                .containsOnly(DataType.INT8.onnxCode());

        for (int i = 0; i < 3; i++) {
            Tensor x = TinyModel.random(500 + i, -1.2f, 1.2f, 3, 2, 6, 6);
            float[] a = run(fq, x);
            float[] b = run(int8, x);
            for (int k = 0; k < a.length; k++) {
                // Same integers; float rounding of the last Mul and of the average pool may differ by a few ulps.
                assertThat(b[k]).isCloseTo(a[k], org.assertj.core.data.Offset.offset(1e-5f + Math.abs(a[k]) * 1e-5f));
            }
        }
    }

    @Test
    void symmetricActivationsHaveZeroOffset() {
        List<LayerQuantization> lqs = quantize(model(), false);
        assertThat(lqs).allSatisfy(lq -> assertThat(lq.activation().offset()).isZero());
        assertThat(lqs.getFirst().weightScales()).hasSize(4);
        assertThat(lqs.get(1).weightScales())
                .as("ConvTranspose group 2 → 6 output channels")
                .hasSize(6);
        assertThat(lqs.get(3).weightScales())
                .as("Gemm is per-tensor by default")
                .hasSize(1);
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
