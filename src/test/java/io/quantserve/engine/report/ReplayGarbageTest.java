package io.quantserve.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.quant.ActivationParams;
import io.quantserve.engine.quant.LayerQuantization;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.HandQuantization;
import io.quantserve.testing.HeapAllocations;
import io.quantserve.testing.TinyGraphs;
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
        OnnxModel model = TinyGraphs.convChain(5, 1, 8, 32, 32);
        List<Map<String, Tensor>> calibration = feeds(4);
        Map<String, ActivationParams> activations = HandQuantization.minMaxActivations(model, calibration);
        List<LayerQuantization> layers = HandQuantization.quantize(model, activations);
        OnnxModel fake = HandQuantization.fakeQuant(model, layers);

        replay(model, fake, layers, feeds(3)); // warm-up: class loading, JIT, ONNX Runtime
        List<Map<String, Tensor>> few = feeds(10);
        List<Map<String, Tensor>> many = feeds(60);
        long fewBytes = HeapAllocations.allocatedBy(() -> replay(model, fake, layers, few));
        long manyBytes = HeapAllocations.allocatedBy(() -> replay(model, fake, layers, many));
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
}
