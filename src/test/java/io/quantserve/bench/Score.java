package io.quantserve.bench;

/**
 * One figure of a task metric.
 *
 * @param value the number the target is checked on (a fraction 0..1, a cosine, or a count, as the metric says)
 * @param text how the results table shows it
 */
record Score(double value, String text) {}
