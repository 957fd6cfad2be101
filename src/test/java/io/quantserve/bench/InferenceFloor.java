package io.quantserve.bench;

import io.quantserve.engine.calibration.data.BatchPlan;
import io.quantserve.engine.calibration.data.BatchStream;
import io.quantserve.engine.calibration.data.CalibrationData;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;

/**
 * The fp32 inference floor of a calibration job: the same calibration batches (same file, batch size and count)
 * through the float model in plain ONNX Runtime (default threads and graph optimisations), once, in this JVM.
 */
final class InferenceFloor {
    private InferenceFloor() {}

    /**
     * @param totalSeconds opening the session, reading every batch from the file and running it
     * @param runSeconds only the {@code run} calls
     * @param batches batches run
     */
    record Floor(double totalSeconds, double runSeconds, int batches) {}

    static Floor measure(Path model, Path data, int batchSize, int batchNum) {
        long start = System.nanoTime();
        long running = 0;
        int batches = 0;
        try (InferenceSession session = InferenceSession.open(model, new SessionSettings(0, true, false));
                CalibrationData dataset = CalibrationData.open(data);
                BatchStream stream = dataset.batches(session.inputs(), new BatchPlan(batchSize, batchNum))) {
            while (stream.hasNext()) {
                Map<String, Tensor> feed = stream.next();
                long t = System.nanoTime();
                session.run(feed);
                running += System.nanoTime() - t;
                batches++;
            }
        }
        return new Floor((System.nanoTime() - start) / 1e9, running / 1e9, batches);
    }

    /** The faster of two measurements (the one less disturbed by other work on the machine). */
    static Floor faster(Floor a, Floor b) {
        return a.totalSeconds() <= b.totalSeconds() ? a : b;
    }
}
