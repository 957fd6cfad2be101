package io.quantserve.bench;

import io.quantserve.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Post-processing of the two benchmark detectors into final detections, as their reference demos do it: a score
 * threshold, then greedy non-maximum suppression (per class).
 */
final class DetectionDecoders {
    /** YOLOX demo's class-wise NMS threshold. */
    static final double YOLOX_NMS_IOU = 0.45;
    /** UltraFace demo's hard-NMS threshold. */
    static final double ULTRAFACE_NMS_IOU = 0.3;

    private static final int[] YOLOX_STRIDES = {8, 16, 32};

    private DetectionDecoders() {}

    /**
     * YOLOX's raw grid output {@code [1, A, 5 + C]} for a square input of {@code inputSize} pixels: per anchor box
     * offsets {@code (dx, dy, log w, log h)} in stride units, objectness and class probabilities (both already
     * sigmoid-activated in the exported graph). Score = objectness × best class probability; boxes in input pixels.
     *
     * @throws IllegalArgumentException when A does not match the strides 8, 16, 32 over {@code inputSize}
     */
    static List<Detection> yolox(Tensor output, int inputSize, double scoreThreshold) {
        int anchors = Math.toIntExact(output.dim(1));
        int width = Math.toIntExact(output.dim(2));
        int classes = width - 5;
        int expected = 0;
        for (int s : YOLOX_STRIDES) expected += (inputSize / s) * (inputSize / s);
        if (output.rank() != 3 || output.dim(0) != 1 || anchors != expected || classes < 1) {
            throw new IllegalArgumentException("YOLOX output must be [1, " + expected + ", 5+C], got " + output);
        }
        float[] v = output.toFloats();
        List<Detection> candidates = new ArrayList<>();
        int anchor = 0;
        for (int stride : YOLOX_STRIDES) {
            int grid = inputSize / stride;
            for (int gy = 0; gy < grid; gy++) {
                for (int gx = 0; gx < grid; gx++, anchor++) {
                    int o = anchor * width;
                    int best = 0;
                    for (int c = 1; c < classes; c++) {
                        if (v[o + 5 + c] > v[o + 5 + best]) best = c;
                    }
                    float score = v[o + 4] * v[o + 5 + best];
                    if (score <= scoreThreshold) continue;
                    float cx = (v[o] + gx) * stride;
                    float cy = (v[o + 1] + gy) * stride;
                    float w = (float) Math.exp(v[o + 2]) * stride;
                    float h = (float) Math.exp(v[o + 3]) * stride;
                    candidates.add(new Detection(best, score, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2));
                }
            }
        }
        return nonMaximumSuppression(candidates, YOLOX_NMS_IOU);
    }

    /**
     * UltraFace's outputs: {@code scores [1, A, 2]} (softmax: background, face) and {@code boxes [1, A, 4]} (corners
     * as fractions of the image). Faces are anchors whose face probability exceeds {@code probabilityThreshold}.
     */
    static List<Detection> ultraface(Tensor scores, Tensor boxes, double probabilityThreshold) {
        int anchors = Math.toIntExact(scores.dim(1));
        if (scores.rank() != 3
                || scores.dim(2) != 2
                || boxes.rank() != 3
                || boxes.dim(1) != anchors
                || boxes.dim(2) != 4) {
            throw new IllegalArgumentException(
                    "UltraFace outputs must be scores [1, A, 2] and boxes [1, A, 4], got " + scores + ", " + boxes);
        }
        float[] s = scores.toFloats();
        float[] b = boxes.toFloats();
        List<Detection> candidates = new ArrayList<>();
        for (int a = 0; a < anchors; a++) {
            float p = s[a * 2 + 1];
            if (p > probabilityThreshold) {
                candidates.add(new Detection(0, p, b[a * 4], b[a * 4 + 1], b[a * 4 + 2], b[a * 4 + 3]));
            }
        }
        return nonMaximumSuppression(candidates, ULTRAFACE_NMS_IOU);
    }

    /**
     * Greedy NMS per label: highest score first, dropping any box of the same label that overlaps a kept one by more
     * than {@code iou}. Ties in score keep input order. Result sorted by descending score.
     */
    static List<Detection> nonMaximumSuppression(List<Detection> candidates, double iou) {
        List<Detection> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> kept = new ArrayList<>();
        for (Detection d : sorted) {
            boolean suppressed = false;
            for (Detection k : kept) {
                if (k.label() == d.label() && k.iou(d) > iou) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) kept.add(d);
        }
        return kept;
    }
}
