package io.quantserve.cli;

import io.quantserve.engine.calibration.data.BatchPlan;
import io.quantserve.engine.calibration.data.BatchStream;
import io.quantserve.engine.calibration.data.CalibrationData;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.runtime.ValueSpec;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.engine.verify.InferenceTiming;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code time}: latency of one or more models on the same batches (e.g. float vs fake-quant vs INT8). */
@Command(name = "time", description = "Measure inference latency of models on the same data batches (JSON).")
final class TimeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, description = "a model to time; repeat to compare several")
    List<Path> models;

    @Option(names = "--data", required = true, description = ".npz, .npy or a test-data folder")
    Path data;

    @Option(names = "--batch-size", description = "samples per batch (default ${DEFAULT-VALUE})")
    int batchSize = 1;

    @Option(names = "--batches", description = "batches fed per run (default ${DEFAULT-VALUE})")
    int batches = 4;

    @Option(names = "--runs", description = "timed passes over the batches (default ${DEFAULT-VALUE})")
    int runs = 10;

    @Option(names = "--warmup", description = "untimed passes first (default ${DEFAULT-VALUE})")
    int warmup = 2;

    @Option(names = "--threads", description = "intra-op threads, 0 = ONNX Runtime default (default ${DEFAULT-VALUE})")
    int threads = 0;

    @Override
    public Integer call() {
        List<ValueSpec> inputs;
        try (InferenceSession s = InferenceSession.open(models.getFirst(), SessionSettings.defaults())) {
            inputs = s.inputs();
        }
        List<Map<String, Tensor>> feeds = new ArrayList<>();
        try (CalibrationData d = CalibrationData.open(data);
                BatchStream stream = d.batches(inputs, new BatchPlan(batchSize, batches))) {
            stream.forEachRemaining(b -> feeds.add(new LinkedHashMap<>(b)));
        }
        SessionSettings settings = new SessionSettings(threads, true, false);
        List<InferenceTiming.Result> results = new ArrayList<>();
        for (Path m : models) {
            results.add(InferenceTiming.measure(m, feeds, warmup, runs, settings));
        }
        Json.print(spec.commandLine().getOut(), results);
        return 0;
    }
}
