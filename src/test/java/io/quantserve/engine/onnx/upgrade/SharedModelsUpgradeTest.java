package io.quantserve.engine.onnx.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorShapeProto;
import io.quantserve.engine.onnx.proto.Onnx.ValueInfoProto;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.SharedFixtures;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real models below opset 13 — the shared fixtures (opsets 9–11) and the OCR and sentence-embedding models the
 * build fetches (opsets 11–12) — upgraded to 13 give the outputs of the originals on a seeded input, within
 * 1e-5 of each output's magnitude, with the optimiser on as in production.
 */
class SharedModelsUpgradeTest {
    @ParameterizedTest(name = "{0} (opset {1})")
    @CsvSource({
        "models/fashion_mnist.onnx, 10, 0, 1",
        "models/ultraface_rfb320.onnx, 9, -1, 1",
        "models/mnist_cnn.onnx, 11, -1, 1",
        "models/yolox_nano.onnx, 11, 0, 255",
    })
    void upgradedModelGivesTheOriginalOutputs(String fixture, int opset, float low, float high) {
        OnnxModel model = ModelIo.load(SharedFixtures.shared(fixture));
        assertThat(model.defaultOpset()).isEqualTo(opset);

        ModelProto upgraded = OpsetUpgrader.upgrade(model.proto(), 13);

        assertThat(OnnxModel.opset(upgraded)).isEqualTo(13);
        assertThat(upgraded.getIrVersion()).isGreaterThanOrEqualTo(7);
        assertThat(upgraded.getGraph().getInputList())
                .isEqualTo(model.proto().getGraph().getInputList());
        assertThat(upgraded.getGraph().getOutputList())
                .isEqualTo(model.proto().getGraph().getOutputList());
        assertThat(nodeNames(upgraded)).containsAll(nodeNames(model.proto()));
        Map<String, Tensor> feeds = seededFeeds(model.proto(), low, high);
        UpgradeCheck.Result r = UpgradeCheck.compare(model.proto(), upgraded, feeds, SessionSettings.defaults());
        System.out.printf(
                "%s opset %d -> 13: %d -> %d nodes, max abs difference %s, scaled %s%n",
                fixture,
                opset,
                model.proto().getGraph().getNodeCount(),
                upgraded.getGraph().getNodeCount(),
                r.maxAbsDifference(),
                r.maxScaledDifference());
        assertThat(r.maxScaledDifference())
                .as(
                        "max |upgraded - original| / max |original| (worst output %s, abs %s)",
                        r.worstOutput(), r.maxAbsDifference())
                .isLessThanOrEqualTo(1e-5);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "models/ch_PP-OCRv3_rec_infer.onnx, 12, 48, 160",
        "models/ch_PP-OCRv4_rec_infer.onnx, 12, 48, 160",
        "models/ch_ppocr_mobile_v2.0_cls_infer.onnx, 11, 48, 192",
        "models/ch_PP-OCRv3_det_infer.onnx, 12, 96, 128",
        "models/ch_PP-OCRv4_det_infer.onnx, 12, 96, 128",
    })
    void upgradedOcrModelGivesTheOriginalOutputs(String resource, int opset, long height, long width) {
        OnnxModel model = ModelIo.load(SharedFixtures.classpathModel(resource));
        assertThat(model.defaultOpset()).isEqualTo(opset);
        String input = model.proto().getGraph().getInput(0).getName();
        Random random = new Random(7L);
        float[] pixels = new float[Math.toIntExact(3 * height * width)];
        for (int i = 0; i < pixels.length; i++) pixels[i] = random.nextFloat() * 2f - 1f;

        assertUpgradeKeepsOutputs(
                resource, model, Map.of(input, Tensor.ofFloats(new long[] {1, 3, height, width}, pixels)));
    }

    @org.junit.jupiter.api.Test
    void upgradedSentenceTransformerGivesTheOriginalEmbeddings() {
        OnnxModel model = ModelIo.load(SharedFixtures.classpathModel("all-minilm-l6-v2.onnx"));
        assertThat(model.defaultOpset()).isEqualTo(11);
        long[] ids = {101, 7592, 2088, 1010, 2023, 2003, 1037, 3231, 1012, 102, 0, 0};
        long[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
        long[] shape = {1, ids.length};

        assertUpgradeKeepsOutputs(
                "all-minilm-l6-v2.onnx",
                model,
                Map.of(
                        "input_ids", Tensor.ofLongs(shape, ids),
                        "attention_mask", Tensor.ofLongs(shape, mask),
                        "token_type_ids", Tensor.ofLongs(shape, new long[ids.length])));
    }

    private static void assertUpgradeKeepsOutputs(String what, OnnxModel model, Map<String, Tensor> feeds) {
        ModelProto upgraded = OpsetUpgrader.upgrade(model.proto(), 13);
        assertThat(OnnxModel.opset(upgraded)).isEqualTo(13);
        UpgradeCheck.Result r = UpgradeCheck.compare(model.proto(), upgraded, feeds, SessionSettings.defaults());
        System.out.printf(
                "%s opset %d -> 13: %d -> %d nodes, max abs difference %s, scaled %s%n",
                what,
                model.defaultOpset(),
                model.proto().getGraph().getNodeCount(),
                upgraded.getGraph().getNodeCount(),
                r.maxAbsDifference(),
                r.maxScaledDifference());
        assertThat(r.maxScaledDifference())
                .as(
                        "max |upgraded - original| / max |original| (worst output %s, abs %s)",
                        r.worstOutput(), r.maxAbsDifference())
                .isLessThanOrEqualTo(1e-5);
    }

    private static Set<String> nodeNames(ModelProto m) {
        Set<String> names = new HashSet<>();
        for (NodeProto n : m.getGraph().getNodeList()) if (!n.getName().isEmpty()) names.add(n.getName());
        return names;
    }

    /** One uniform random tensor per graph input that is not an initializer; symbolic dimensions set to 1. */
    private static Map<String, Tensor> seededFeeds(ModelProto m, float low, float high) {
        Set<String> initializers = new HashSet<>();
        m.getGraph().getInitializerList().forEach(t -> initializers.add(t.getName()));
        Random random = new Random(20261126L);
        Map<String, Tensor> feeds = new java.util.LinkedHashMap<>();
        for (ValueInfoProto v : m.getGraph().getInputList()) {
            if (initializers.contains(v.getName())) continue;
            long[] shape = v.getType().getTensorType().getShape().getDimList().stream()
                    .mapToLong(TensorShapeProto.Dimension::getDimValue)
                    .map(d -> d > 0 ? d : 1)
                    .toArray();
            float[] values = new float[Math.toIntExact(Tensor.elementCount(shape))];
            for (int i = 0; i < values.length; i++) values[i] = low + random.nextFloat() * (high - low);
            feeds.put(v.getName(), Tensor.ofFloats(shape, values));
        }
        return feeds;
    }
}
