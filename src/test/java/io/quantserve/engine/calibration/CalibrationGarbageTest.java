package io.quantserve.engine.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.HeapAllocations;
import io.quantserve.testing.TinyGraphs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The calibration pass allocates little per batch: its counting buffers live for the whole pass, so the heap (and a
 * process's peak RSS, which follows how much of the heap the collector touches) does not grow with the number of
 * batches. Counting once kept them in thread-locals that the common fork-join pool's workers dropped after each task:
 * 512 KiB reallocated per counting thread per run.
 */
class CalibrationGarbageTest {
    @TempDir
    Path tmp;

    @Test
    void heapAllocationPerBatchStaysSmallWhateverTheNumberOfBatches() {
        OnnxModel model = TinyGraphs.convChain(6, 4, 2, 6, 6);
        Map<String, List<String>> tensors = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) tensors.put(i == 0 ? "x" : "y" + (i - 1), List.of("conv" + i));

        calibrate(model, tensors, 3); // warm-up: class loading, JIT, ONNX Runtime
        long few = HeapAllocations.allocatedBy(() -> calibrate(model, tensors, 10));
        long many = HeapAllocations.allocatedBy(() -> calibrate(model, tensors, 110));
        double perBatch = (many - few) / 100.0;
        assertThat(perBatch)
                .as("bytes allocated per extra batch of 4 samples (%d over 10 batches, %d over 110)", few, many)
                .isLessThan(128 * 1024);
    }

    private void calibrate(OnnxModel model, Map<String, List<String>> tensors, int batches) {
        List<Map<String, Tensor>> feeds = new ArrayList<>();
        for (int b = 0; b < batches; b++) feeds.add(Map.of("x", TinyGraphs.randomTensor(b, 4, 2, 6, 6)));
        List<TensorStatistics> stats = Calibrator.run(
                model, tensors, feeds.iterator(), batches, SessionSettings.interleaved(), ProgressListener.NONE, tmp);
        assertThat(stats)
                .hasSize(6)
                .allSatisfy(s -> assertThat(s.histogram().count()).isPositive());
    }
}
