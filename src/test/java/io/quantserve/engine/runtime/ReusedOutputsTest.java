package io.quantserve.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorShapeProto;
import io.quantserve.engine.onnx.proto.Onnx.TypeProto;
import io.quantserve.engine.onnx.proto.Onnx.ValueInfoProto;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.HeapAllocations;
import io.quantserve.testing.TinyGraphs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pinned, reused output buffers give exactly what ordinary runs give, across batches and feed-shape changes. */
class ReusedOutputsTest {
    @TempDir
    Path tmp;

    private Path model;

    /** y = Relu(x · w), z = x + 1, with a symbolic batch dimension. */
    @BeforeEach
    void model() {
        ModelProto proto = TinyGraphs.graph()
                .input("x", 1, 4)
                .randomInit("w", 3, 4, 5)
                .init("one", new long[] {}, new float[] {1f})
                .node("MatMul", "mm", List.of("x", "w"), List.of("h"))
                .node("Relu", "act", List.of("h"), List.of("y"))
                .node("Add", "inc", List.of("x", "one"), List.of("z"))
                .output("y")
                .output("z")
                .build()
                .proto();
        ValueInfoProto dynamic = ValueInfoProto.newBuilder()
                .setName("x")
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder()
                                .setElemType(1)
                                .setShape(TensorShapeProto.newBuilder()
                                        .addDim(TensorShapeProto.Dimension.newBuilder()
                                                .setDimParam("N"))
                                        .addDim(TensorShapeProto.Dimension.newBuilder()
                                                .setDimValue(4)))))
                .build();
        model = tmp.resolve("m.onnx");
        ModelIo.save(
                io.quantserve.engine.onnx.OnnxModel.inMemory(proto.toBuilder()
                        .setGraph(proto.getGraph().toBuilder().setInput(0, dynamic))
                        .build()),
                model);
    }

    @Test
    void aSessionWhoseThreadsSleepBetweenRunsComputesTheSame() {
        // Calibration's settings: ONNX Runtime must accept the no-spinning entry and compute what its default does.
        assertThat(SessionSettings.interleaved().spinWait()).isFalse();
        List<String> wanted = List.of("y", "z");
        try (InferenceSession spinning = InferenceSession.open(model, SessionSettings.defaults());
                InferenceSession sleeping = InferenceSession.open(model, SessionSettings.interleaved());
                ReusedOutputs runner = sleeping.reusingOutputs(true)) {
            for (int i = 0; i < 3; i++) {
                Map<String, Tensor> feed = Map.of("x", TinyGraphs.randomTensor(200 + i, 8, 4));
                Map<String, Tensor> expected = spinning.run(feed, wanted);
                Map<String, Tensor> got = runner.run(feed, wanted);
                for (String name : wanted) {
                    assertThat(got.get(name).toFloats())
                            .as("batch %d, %s", i, name)
                            .containsExactly(expected.get(name).toFloats());
                }
            }
        }
    }

    @Test
    void everyRunMatchesAnOrdinaryRunWhateverTheBatchShape() {
        List<String> wanted = List.of("y", "z");
        try (InferenceSession session = InferenceSession.open(model, SessionSettings.defaults());
                ReusedOutputs runner = session.reusingOutputs(true)) {
            // 3 batches of 8 (first learns, the next two use the pinned buffers), a short batch of 3, then 8 again.
            int[] sizes = {8, 8, 8, 3, 8, 8};
            for (int i = 0; i < sizes.length; i++) {
                Map<String, Tensor> feed = Map.of("x", TinyGraphs.randomTensor(100 + i, sizes[i], 4));
                Map<String, Tensor> expected = session.run(feed, wanted);
                Map<String, Tensor> got = runner.run(feed, wanted);
                for (String name : wanted) {
                    assertThat(got.get(name).shape())
                            .as("batch %d, %s", i, name)
                            .containsExactly(expected.get(name).shape());
                    assertThat(got.get(name).toFloats())
                            .as("batch %d, %s", i, name)
                            .containsExactly(expected.get(name).toFloats());
                }
            }
        }
    }

    @Test
    void theFirstRunCopiesNoOutputToTheHeap() {
        // 2 MB of outputs (y: 50 000 × 5 floats, z: 50 000 × 4): the run that learns their shapes copies none of them.
        List<String> wanted = List.of("y", "z");
        Map<String, Tensor> feed = Map.of("x", TinyGraphs.randomTensor(5, 50_000, 4));
        try (InferenceSession session = InferenceSession.open(model, SessionSettings.defaults());
                ReusedOutputs runner = session.reusingOutputs(true)) {
            Map<String, Tensor> expected = session.run(feed, wanted);
            Map<String, Tensor>[] got = new Map[1];
            long allocated = HeapAllocations.allocatedBy(() -> got[0] = runner.run(feed, wanted));
            assertThat(allocated).as("heap bytes allocated by the first run").isLessThan(256 * 1024);
            for (String name : wanted) {
                assertThat(got[0].get(name).toFloats())
                        .as(name)
                        .containsExactly(expected.get(name).toFloats());
            }
        }
    }

    @Test
    void aPinnedRunOverwritesTheViewsOfThePreviousOne() {
        try (InferenceSession session = InferenceSession.open(model, SessionSettings.defaults());
                ReusedOutputs runner = session.reusingOutputs(true)) {
            runner.run(Map.of("x", TinyGraphs.randomTensor(1, 2, 4)), List.of("z"));
            Tensor second = runner.run(Map.of("x", TinyGraphs.randomTensor(2, 2, 4)), List.of("z"))
                    .get("z");
            float[] before = second.toFloats();
            runner.run(Map.of("x", TinyGraphs.randomTensor(3, 2, 4)), List.of("z"));
            // The documented contract: a view is valid until the next run, which reuses its buffer.
            assertThat(second.toFloats()).isNotEqualTo(before);
        }
    }
}
