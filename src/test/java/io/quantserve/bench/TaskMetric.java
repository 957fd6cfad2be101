package io.quantserve.bench;

import java.nio.file.Path;

/** The task metric of one benchmark model, over that model's evaluation set. */
interface TaskMetric {
    /**
     * Evaluates the float model and the two quantized models of one run.
     *
     * @param fp32 the float model the run quantized
     * @param fakeQuant the run's {@code <name>_fake_quant_model.onnx}
     * @param int8 the run's {@code <name>_int8_model.onnx}
     */
    MetricResult evaluate(Path fp32, Path fakeQuant, Path int8);
}
