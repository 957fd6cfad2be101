package io.quantserve.bench;

/**
 * One detected object.
 *
 * @param label class index (0 for a single-class detector)
 * @param score confidence in 0..1
 * @param x1 left edge, in the detector's box units (input pixels for YOLOX, image fractions for UltraFace)
 * @param y1 top edge
 * @param x2 right edge, {@code >= x1}
 * @param y2 bottom edge, {@code >= y1}
 */
record Detection(int label, float score, float x1, float y1, float x2, float y2) {

    /** Box area; 0 for a degenerate box. */
    double area() {
        return Math.max(0.0, (double) x2 - x1) * Math.max(0.0, (double) y2 - y1);
    }

    /** Intersection over union of the two boxes (labels ignored); 0 when both are empty. */
    double iou(Detection other) {
        double w = Math.min(x2, other.x2) - Math.max(x1, other.x1);
        double h = Math.min(y2, other.y2) - Math.max(y1, other.y1);
        double intersection = Math.max(0.0, w) * Math.max(0.0, h);
        double union = area() + other.area() - intersection;
        return union <= 0 ? 0 : intersection / union;
    }
}
