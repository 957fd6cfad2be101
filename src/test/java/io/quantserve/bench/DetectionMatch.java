package io.quantserve.bench;

import java.util.List;

/**
 * How the detections of a quantized model compare with the fp32 model's on one image: each fp32 detection (highest
 * score first) takes the unmatched candidate of the same label with the highest IoU, if that IoU exceeds the
 * threshold.
 *
 * @param reference fp32 detections
 * @param matched fp32 detections with a partner
 * @param extra candidate detections left without a partner
 */
record DetectionMatch(int reference, int matched, int extra) {

    /** Matches {@code candidate} against {@code reference} with the given IoU threshold (exclusive). */
    static DetectionMatch of(List<Detection> reference, List<Detection> candidate, double iouThreshold) {
        List<Detection> byScore = reference.stream()
                .sorted((a, b) -> Float.compare(b.score(), a.score()))
                .toList();
        boolean[] taken = new boolean[candidate.size()];
        int matched = 0;
        for (Detection r : byScore) {
            int best = -1;
            double bestIou = iouThreshold;
            for (int i = 0; i < candidate.size(); i++) {
                Detection c = candidate.get(i);
                if (taken[i] || c.label() != r.label()) continue;
                double iou = r.iou(c);
                if (iou > bestIou) {
                    bestIou = iou;
                    best = i;
                }
            }
            if (best >= 0) {
                taken[best] = true;
                matched++;
            }
        }
        return new DetectionMatch(reference.size(), matched, candidate.size() - matched);
    }

    /** True when every fp32 detection has a partner and nothing else was detected. */
    boolean identical() {
        return matched == reference && extra == 0;
    }
}
