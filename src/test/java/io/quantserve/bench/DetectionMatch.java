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

    /**
     * Whether each model detects every object the other detects with a clear margin: each fp32 detection scoring
     * above {@code threshold + band} has a partner among the candidate's detections, and each candidate detection
     * scoring above it has a partner among the fp32 ones (both lists are final detections, above the threshold). An
     * object that one model scores within the band above the threshold may come and go with a small score change.
     */
    static boolean sameClearDetections(
            List<Detection> reference, List<Detection> candidate, double threshold, double band, double iou) {
        List<Detection> clearReference = above(reference, threshold + band);
        List<Detection> clearCandidate = above(candidate, threshold + band);
        return of(clearReference, candidate, iou).matched() == clearReference.size()
                && of(clearCandidate, reference, iou).matched() == clearCandidate.size();
    }

    private static List<Detection> above(List<Detection> detections, double score) {
        return detections.stream().filter(d -> d.score() > score).toList();
    }

    /** True when every fp32 detection has a partner and nothing else was detected. */
    boolean identical() {
        return matched == reference && extra == 0;
    }
}
