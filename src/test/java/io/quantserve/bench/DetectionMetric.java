package io.quantserve.bench;

import io.quantserve.engine.tensor.Tensor;
import io.quantserve.testing.ModelRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Detectors: the quantized model must find the same objects as the fp32 model on every image of the set. Per image,
 * the final detections (score threshold, then NMS: {@link DetectionDecoders}) of the two models are matched one to
 * one, same label and IoU &gt; {@value #MATCH_IOU} ({@link DetectionMatch}); the image counts as the same when every
 * fp32 detection has a partner and nothing else is detected. The {@link Score#value()} of a quantized model is the
 * fraction of fp32 detections matched; the target is that every image is the same.
 *
 * <p>The table also says on how many images each model detects everything the other scores more than {@value #BAND}
 * above the threshold ({@link DetectionMatch#sameClearDetections}): an object scored just above the threshold comes
 * and goes with a small score change, which tells a quantization that moves scores a little from one that loses
 * objects.
 *
 * @param description the rule, for the table (e.g. {@code score > 0.4})
 * @param images the images, preprocessed for the model, one sample each
 * @param threshold the score threshold the decoder applies
 * @param decoder one image's outputs (by output name) → its final detections
 */
record DetectionMetric(
        String description,
        Supplier<Path> images,
        double threshold,
        Function<Map<String, Tensor>, List<Detection>> decoder)
        implements TaskMetric {
    static final double MATCH_IOU = 0.5;

    /** Score margin above the threshold that makes a detection clear, for the secondary figure. */
    static final double BAND = 0.05;

    @Override
    public MetricResult evaluate(Path fp32, Path fakeQuant, Path int8) {
        Path set = images.get();
        List<List<Detection>> reference = detect(fp32, set);
        int total = reference.stream().mapToInt(List::size).sum();
        Comparison q = compare(reference, detect(fakeQuant, set));
        return new MetricResult(
                "same detections as fp32 (" + description + ", matched by label and IoU > " + MATCH_IOU + ")",
                new Score(total, total + " detections on " + reference.size() + " images"),
                q.score(),
                compare(reference, detect(int8, set)).score(),
                "every image the same",
                q.sameImages() == reference.size());
    }

    private List<List<Detection>> detect(Path model, Path set) {
        List<List<Detection>> out = new ArrayList<>();
        ModelRunner.forEachBatch(model, set, 1, (feeds, outputs) -> out.add(decoder.apply(outputs)));
        return out;
    }

    private Comparison compare(List<List<Detection>> reference, List<List<Detection>> candidate) {
        int matched = 0;
        int extra = 0;
        int same = 0;
        int sameClear = 0;
        int total = 0;
        for (int k = 0; k < reference.size(); k++) {
            DetectionMatch m = DetectionMatch.of(reference.get(k), candidate.get(k), MATCH_IOU);
            matched += m.matched();
            extra += m.extra();
            total += m.reference();
            if (m.identical()) same++;
            if (DetectionMatch.sameClearDetections(reference.get(k), candidate.get(k), threshold, BAND, MATCH_IOU)) {
                sameClear++;
            }
        }
        return new Comparison(matched, total, extra, same, sameClear, reference.size());
    }

    private record Comparison(int matched, int total, int extra, int sameImages, int sameClear, int images) {
        Score score() {
            return new Score(
                    total == 0 ? (extra == 0 ? 1 : 0) : (double) matched / total,
                    matched + "/" + total + " matched, " + extra + " extra; " + sameImages + "/" + images
                            + " images the same (" + sameClear + "/" + images + " with every detection scoring > "
                            + BAND + " above the threshold kept)");
        }
    }
}
