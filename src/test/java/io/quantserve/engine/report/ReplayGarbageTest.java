package io.quantserve.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.onnx.Attributes;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.quant.ActivationParams;
import io.quantserve.engine.quant.LayerQuantization;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.HandQuantization;
import io.quantserve.testing.TinyGraphs;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report replay allocates little per run: it reads every exposed tensor into arrays it reuses. It used to copy
 * each layer's input and three outputs into new arrays on every run; on PP-OCRv3 rec that garbage grew the heap,
 * and the process, by a few hundred MiB during the replay.
 */
class ReplayGarbageTest {
    @TempDir
    Path tmp;

    @Test
    void heapAllocationPerRunStaysSmallWhateverTheNumberOfRuns() {
        TinyGraphs g = TinyGraphs.graph().input("x", 1, 8, 32, 32);
        String in = "x";
        for (int i = 0; i < 5; i++) {
            g.randomInit("w" + i, 10 + i, 8, 8, 3, 3)
                    .node(
                            "Conv",
                            "conv" + i,
                            List.of(in, "w" + i),
                            List.of("y" + i),
                            Attributes.ofInts("pads", 1, 1, 1, 1));
            in = "y" + i;
        }
        OnnxModel model = g.output(in).build();
        List<Map<String, Tensor>> calibration = feeds(4);
        Map<String, ActivationParams> activations = HandQuantization.minMaxActivations(model, calibration);
        List<LayerQuantization> layers = HandQuantization.quantize(model, activations);
        OnnxModel fake = HandQuantization.fakeQuant(model, layers);

        replay(model, fake, layers, feeds(3)); // warm-up: class loading, JIT, ONNX Runtime
        List<Map<String, Tensor>> few = feeds(10);
        List<Map<String, Tensor>> many = feeds(60);
        long fewBytes = allocatedBy(() -> replay(model, fake, layers, few));
        long manyBytes = allocatedBy(() -> replay(model, fake, layers, many));
        double perRun = (manyBytes - fewBytes) / 50.0;
        // Each run exposes 5 layer inputs and 10 outputs of 32 KiB each; copying them would allocate 640 KiB per run.
        assertThat(perRun)
                .as("bytes allocated per extra replayed run (%d over 10 runs, %d over 60)", fewBytes, manyBytes)
                .isLessThan(96 * 1024);
    }

    private void replay(OnnxModel model, OnnxModel fake, List<LayerQuantization> layers, List<Map<String, Tensor>> in) {
        QualityReport report = QualityReports.build(
                new ReportInput("chain", "quantize", "minmax", model, fake, layers, List.of(), in, List.of()), tmp);
        assertThat(report.layers())
                .hasSize(5)
                .allSatisfy(l -> assertThat(l.input().values()).isEqualTo(in.size() * 8L * 32 * 32));
    }

    private static List<Map<String, Tensor>> feeds(int n) {
        List<Map<String, Tensor>> feeds = new ArrayList<>();
        for (int i = 0; i < n; i++) feeds.add(Map.of("x", TinyGraphs.randomTensor(i, 1, 8, 32, 32)));
        return feeds;
    }

    /** Heap bytes allocated by every thread of the JVM while {@code work} runs (layers are measured on pool threads). */
    private static long allocatedBy(Runnable work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getTotalThreadAllocatedBytes();
        work.run();
        return threads.getTotalThreadAllocatedBytes() - before;
    }
}
