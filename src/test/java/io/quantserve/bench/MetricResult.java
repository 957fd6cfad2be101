package io.quantserve.bench;

/**
 * A model's task metric in fp32 and after quantization.
 *
 * @param metric what is measured, e.g. {@code top-1 (10000 test images)}
 * @param fp32 the float model
 * @param fakeQuant the fake-quant model (the targets are stated on it)
 * @param int8 the portable INT8 model
 * @param target the target, in words
 * @param targetMet whether the fake-quant model meets the target
 */
record MetricResult(String metric, Score fp32, Score fakeQuant, Score int8, String target, boolean targetMet) {}
