package io.quantserve.engine.calibration;

import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.LayerQuantizationException;
import io.quantserve.engine.onnx.GraphScopes;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.ReusedOutputs;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

/**
 * One forward pass over the calibration batches. The model (weights already quantized-dequantized, as AMCT
 * calibrates) is augmented so that every observed tensor is also a graph output, tensors inside
 * {@code If}/{@code Loop}/{@code Scan} bodies included ({@link SubgraphTaps}: all iterations of a loop body, no
 * values when a branch is not taken); each batch's values stream into that tensor's one {@link StreamingHistogram}
 * and are dropped, so memory does not grow with the number of batches. Every range algorithm later reads the same
 * histogram ({@link ActivationObserver}).
 */
public final class Calibrator {
    /**
     * Values copied at a time from an output buffer into the histogram, as float bit patterns: 256 KiB, below G1's
     * humongous-object size for any heap, so streaming a tensor allocates nothing per batch.
     */
    private static final int CHUNK = StreamingHistogram.RUN;

    /**
     * A counting task's buffers: the chunk of raw bits and the histogram's index scratch. Kept in a pool for the
     * whole calibration pass, not in thread-locals: the common fork-join pool's workers may drop their thread-locals
     * after each task, which reallocated both buffers for every tensor of every run (for MNIST, 1.3 GB of garbage over
     * 300 batches, and a peak RSS that grew with the number of batches).
     */
    private record Scratch(int[] chunk, int[] indices) {
        Scratch() {
            this(new int[CHUNK], new int[CHUNK]);
        }
    }

    /** Samples per calibration run where the batch can be split ({@link SampleChunks}). */
    static final int SAMPLES_PER_RUN = 4;

    private Calibrator() {}

    /**
     * @param model the model to run
     * @param tensors observed tensor → the layers reading it (for error messages and the statistics), in a fixed
     *     order
     * @param batches the feeds; at most {@code batchNum} are used
     * @param scratch folder for the augmented model file
     * @return one entry per observed tensor, in the order of {@code tensors}; a tensor that held no value in any
     *     batch (e.g. computed only in an {@code If} branch that was never taken) has an empty histogram
     */
    public static List<TensorStatistics> run(
            OnnxModel model,
            Map<String, List<String>> tensors,
            Iterator<? extends Map<String, Tensor>> batches,
            int batchNum,
            SessionSettings settings,
            ProgressListener progress,
            Path scratch) {
        return run(model, tensors, Map.of(), batches, batchNum, settings, progress, scratch);
    }

    /**
     * Like {@link #run(OnnxModel, Map, Iterator, int, SessionSettings, ProgressListener, Path)}, and also hands every
     * batch of a tensor, with its shape, to that tensor's {@code sinks}.
     */
    public static List<TensorStatistics> run(
            OnnxModel model,
            Map<String, List<String>> tensors,
            Map<String, List<CalibrationSink>> sinks,
            Iterator<? extends Map<String, Tensor>> batches,
            int batchNum,
            SessionSettings settings,
            ProgressListener progress,
            Path scratch) {
        Set<String> graphInputs = new HashSet<>();
        model.proto().getGraph().getInputList().forEach(v -> graphInputs.add(v.getName()));
        List<String> fetched = new ArrayList<>();
        for (String t : tensors.keySet()) {
            if (!graphInputs.contains(t)) fetched.add(t);
        }
        SubgraphTaps.Tapped tapped = SubgraphTaps.tap(model.proto(), fetched);
        Path file = write(model.withProto(tapped.model()), scratch);
        Map<String, StreamingHistogram> histograms = new LinkedHashMap<>();
        for (String t : tensors.keySet()) histograms.put(t, new StreamingHistogram());
        List<String> names = List.copyOf(histograms.keySet());
        // At most one Scratch per thread that counts at once.
        Queue<Scratch> buffers = new ConcurrentLinkedQueue<>();
        try (InferenceSession session = InferenceSession.open(file, settings);
                ReusedOutputs runner = session.reusingOutputs(!GraphScopes.hasSubgraphs(tapped.model()))) {
            List<String> outputs = tapped.outputs().values().stream().distinct().toList();
            int done = 0;
            while (done < batchNum && batches.hasNext()) {
                // Runs of a few samples: the exposed activations of one run are held at once, so memory follows
                // SAMPLES_PER_RUN, not the batch size; the histograms see the same values in the same order.
                for (Map<String, Tensor> feed : SampleChunks.split(batches.next(), session.inputs(), SAMPLES_PER_RUN)) {
                    Map<String, Tensor> values = outputs.isEmpty() ? Map.of() : runner.run(feed, outputs);
                    int batch = done;
                    // Each tensor's histogram and sinks are its own, so tensors are counted in parallel; a failure is
                    // reported for the first tensor in calibration order, whichever thread met it first.
                    RuntimeException[] failures = new RuntimeException[names.size()];
                    IntStream.range(0, names.size()).parallel().forEach(i -> {
                        String name = names.get(i);
                        Scratch own = buffers.poll();
                        if (own == null) own = new Scratch();
                        try {
                            Tensor v = graphInputs.contains(name)
                                    ? feed.get(name)
                                    : values.get(tapped.outputs().get(name));
                            if (v == null) {
                                throw new InvalidDataException("calibration batch lacks input '" + name + "'");
                            }
                            observe(
                                    v,
                                    name,
                                    tensors.get(name),
                                    histograms.get(name),
                                    sinks.getOrDefault(name, List.of()),
                                    batch,
                                    own);
                        } catch (RuntimeException e) {
                            failures[i] = e;
                        } finally {
                            buffers.offer(own);
                        }
                    });
                    for (RuntimeException f : failures) {
                        if (f != null) throw f;
                    }
                }
                done++;
                progress.batch(done, batchNum);
            }
            if (done == 0) {
                throw new InvalidDataException("calibration data holds no batch");
            }
        } finally {
            try {
                Files.deleteIfExists(file);
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".data"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<TensorStatistics> out = new ArrayList<>();
        histograms.forEach((t, h) -> {
            h.finish();
            out.add(new TensorStatistics(t, tensors.get(t), h));
        });
        return out;
    }

    /** Counts one tensor of one run into its histogram and sinks. */
    private static void observe(
            Tensor v,
            String tensor,
            List<String> layers,
            StreamingHistogram histogram,
            List<CalibrationSink> tensorSinks,
            int batch,
            Scratch scratch) {
        if (v.type() == DataType.FLOAT && tensorSinks.isEmpty()) {
            // Straight from the (reused) output buffer through one small chunk of raw float bits: no per-run array.
            IntBuffer in = v.data().asIntBuffer();
            int[] chunk = scratch.chunk();
            while (in.hasRemaining()) {
                int n = Math.min(chunk.length, in.remaining());
                in.get(chunk, 0, n);
                // The histogram refuses NaN and infinity itself, so the values are read once; the failed calibration
                // discards the histogram.
                try {
                    histogram.acceptBits(chunk, n, scratch.indices());
                } catch (IllegalArgumentException nonFinite) {
                    throw nonFinite(tensor, layers, batch);
                }
            }
        } else {
            float[] f = v.toFloats();
            // As above, the histogram's own check is the only pass for NaN and infinity; sinks see only finite values.
            try {
                histogram.accept(f, f.length, scratch.chunk(), scratch.indices());
            } catch (IllegalArgumentException nonFinite) {
                throw nonFinite(tensor, layers, batch);
            }
            for (CalibrationSink sink : tensorSinks) sink.accept(v.shape(), f);
        }
    }

    private static LayerQuantizationException nonFinite(String tensor, List<String> layers, int batch) {
        return new LayerQuantizationException(
                "non-finite-activation",
                String.join(", ", layers),
                "input '" + tensor + "' holds NaN or inf in calibration batch " + batch
                        + " (check the calibration data and the layers before it)");
    }

    private static Path write(OnnxModel model, Path scratch) {
        try {
            Files.createDirectories(scratch);
            Path file = Files.createTempFile(scratch, "calibration", ".onnx");
            ModelIo.save(model, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
