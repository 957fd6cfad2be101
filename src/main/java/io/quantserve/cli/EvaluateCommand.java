package io.quantserve.cli;

import io.quantserve.engine.calibration.data.BatchPlan;
import io.quantserve.engine.calibration.data.BatchStream;
import io.quantserve.engine.calibration.data.CalibrationData;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.runtime.ValueSpec;
import io.quantserve.engine.verify.ModelComparison;
import io.quantserve.engine.verify.OutputMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code evaluate}: how far a candidate model's outputs are from a reference model's on a dataset. */
@Command(name = "evaluate", description = "Compare two models' outputs per output: cosine, SQNR, max error, top-1.")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--reference", required = true)
    Path reference;

    @Option(names = "--candidate", required = true)
    Path candidate;

    @Option(names = "--data", required = true, description = ".npz, .npy or a test-data folder")
    Path data;

    @Option(names = "--batch-size", description = "samples per batch (default ${DEFAULT-VALUE})")
    int batchSize = 32;

    @Override
    public Integer call() {
        List<ValueSpec> inputs;
        try (InferenceSession s = InferenceSession.open(reference, SessionSettings.defaults())) {
            inputs = s.inputs();
        }
        try (CalibrationData d = CalibrationData.open(data)) {
            long samples = d.check(inputs).sampleCount();
            int batches = (int) Math.max(1, (samples + batchSize - 1) / batchSize);
            try (BatchStream stream = d.batches(inputs, new BatchPlan(batchSize, batches))) {
                List<OutputMetrics> metrics =
                        ModelComparison.compare(reference, candidate, stream, SessionSettings.defaults());
                Json.print(spec.commandLine().getOut(), metrics);
            }
        }
        return 0;
    }
}
