package io.quantserve.engine.verify;

import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Wall-clock latency of a model on fixed feeds: {@code warmup} untimed passes over the feeds, then {@code runs}
 * timed passes. Used by the {@code time} command to compare the float, fake-quant and INT8 models on one machine.
 */
public final class InferenceTiming {
    private InferenceTiming() {}

    /**
     * @param model file name
     * @param medianMs median milliseconds per feed
     * @param p90Ms 90th percentile milliseconds per feed
     * @param meanMs mean milliseconds per feed
     * @param measurements timed feed executions
     */
    public record Result(String model, double medianMs, double p90Ms, double meanMs, int measurements) {}

    public static Result measure(
            Path model, List<Map<String, Tensor>> feeds, int warmup, int runs, SessionSettings settings) {
        try (InferenceSession s = InferenceSession.open(model, settings)) {
            for (int i = 0; i < warmup; i++) for (Map<String, Tensor> f : feeds) s.run(f);
            double[] ms = new double[runs * feeds.size()];
            int k = 0;
            for (int i = 0; i < runs; i++) {
                for (Map<String, Tensor> f : feeds) {
                    long t0 = System.nanoTime();
                    s.run(f);
                    ms[k++] = (System.nanoTime() - t0) / 1e6;
                }
            }
            Arrays.sort(ms);
            double mean = Arrays.stream(ms).average().orElse(Double.NaN);
            return new Result(
                    model.getFileName().toString(),
                    ms[ms.length / 2],
                    ms[Math.min(ms.length - 1, (int) Math.ceil(ms.length * 0.9) - 1)],
                    mean,
                    ms.length);
        }
    }
}
