package io.quantserve.testing;

import io.quantserve.engine.calibration.data.NpzWriter;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.pipeline.QuantizeRequest;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.tensor.DataType;
import io.quantserve.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chain of {@code layers} MatMul layers ({@code fc0 … fc<n-1>}, 16 wide, the last one 16 → 10 classes) where layer
 * {@code sensitive} (or none, when negative) reads an input whose channel 0 is multiplied by {@value #OUTLIER} and
 * whose weight row 0 is divided by it: the float function is unchanged, but a per-tensor INT8 input range sized for
 * the outlier rounds every other channel to zero, so that layer alone ruins the output. Calibration: 64 samples
 * uniform in [-1, 1) (batches of 16); evaluation: 256 other samples with {@code labels} = the float model's arg-max.
 */
public final class SensitiveChain {
    public static final int WIDTH = 16;
    public static final int CLASSES = 10;
    public static final float OUTLIER = 1000f;

    public final Path model;
    public final Path calibration;
    public final Path evaluation;

    /** Writes {@code chain.onnx}, {@code calib.npz} and {@code eval.npz} into {@code dir}. */
    public SensitiveChain(Path dir, int layers, int sensitive) {
        model = dir.resolve("chain.onnx");
        ModelIo.save(build(layers, sensitive).build(), model);
        calibration = dir.resolve("calib.npz");
        var calib = new LinkedHashMap<String, Tensor>();
        calib.put("x", TinyModel.random(100, -1f, 1f, 64, WIDTH));
        NpzWriter.write(calibration, calib, false);
        evaluation = dir.resolve("eval.npz");
        var eval = new LinkedHashMap<String, Tensor>();
        Tensor x = TinyModel.random(200, -1f, 1f, 256, WIDTH);
        eval.put("x", x);
        eval.put("labels", Tensor.ofLongs(new long[] {256}, floatArgmax(x)));
        NpzWriter.write(evaluation, eval, false);
    }

    /** The name of layer {@code i}. */
    public static String layer(int i) {
        return "fc" + i;
    }

    private static TinyModel build(int layers, int sensitive) {
        TinyModel m = TinyModel.create().input("x", DataType.FLOAT, 0, WIDTH);
        String h = "x";
        for (int i = 0; i < layers; i++) {
            int out = i == layers - 1 ? CLASSES : WIDTH;
            Tensor w = TinyModel.random(10 + i, -0.4f, 0.4f, WIDTH, out);
            String in = h;
            if (i == sensitive) {
                float[] scale = new float[WIDTH];
                Arrays.fill(scale, 1f);
                scale[0] = OUTLIER;
                m.initializer("outlier", Tensor.ofFloats(new long[] {WIDTH}, scale));
                m.namedNode("scale_outlier", "Mul", List.of(h, "outlier"), List.of("h_outlier"));
                in = "h_outlier";
                float[] wv = w.toFloats();
                for (int c = 0; c < out; c++) wv[c] /= OUTLIER;
                w = Tensor.ofFloats(new long[] {WIDTH, out}, wv);
            }
            m.initializer("w" + i, w);
            String y = i == layers - 1 ? "y" : "h" + i;
            m.namedNode(layer(i), "MatMul", List.of(in, "w" + i), List.of(y));
            h = y;
        }
        return m.output("y", DataType.FLOAT, 0, CLASSES);
    }

    private long[] floatArgmax(Tensor x) {
        try (InferenceSession s = InferenceSession.open(model, SessionSettings.defaults())) {
            float[] y = s.run(Map.of("x", x)).get("y").toFloats();
            long[] labels = new long[y.length / CLASSES];
            for (int r = 0; r < labels.length; r++) {
                int best = 0;
                for (int c = 1; c < CLASSES; c++) if (y[r * CLASSES + c] > y[r * CLASSES + best]) best = c;
                labels[r] = best;
            }
            return labels;
        }
    }

    /** Calibration as the CLI does it: AMCT defaults, batches of 16, 4 of them, the first replayed for the report. */
    public QuantizeRequest quantize(Path out) {
        return new QuantizeRequest(model, calibration, null, ConfigOptions.defaults(), 16, 4, out, 1);
    }
}
