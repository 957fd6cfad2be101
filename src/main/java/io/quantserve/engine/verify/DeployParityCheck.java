package io.quantserve.engine.verify;

import io.quantserve.engine.InvalidDataException;
import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.ScratchFolder;
import io.quantserve.engine.onnx.ModelIo;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.runtime.InferenceSession;
import io.quantserve.engine.runtime.SessionSettings;
import io.quantserve.engine.runtime.ValueSpec;
import io.quantserve.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Verifies an Ascend deploy model against the fake_quant model: the deploy model cannot run in stock ONNX
 * Runtime, so it is lowered to its integer reference ({@link DeployLowering}), and both models run on the same
 * feeds. Both sessions run without graph optimisations, so ONNX Runtime cannot fold the dequantization scale
 * into a layer's weights and break the integer-valued arithmetic both graphs rely on.
 *
 * <p>Where every layer's accumulation bound stays below {@code 2^24} ({@link ParityReport#integerExact()}), the
 * two models compute the same float32 values and any difference points to a deploy export or fake_quant fault
 * (a wrong weight, scale, offset or bias); a tolerance of 0 or {@code 1e-6} is appropriate then.
 */
public final class DeployParityCheck {
    private static final SessionSettings SETTINGS = new SessionSettings(0, false, true);

    private DeployParityCheck() {}

    /**
     * Checks two model files; see {@link #check(OnnxModel, OnnxModel, List, double)}. The fake_quant model runs
     * straight from its file: only the deploy model is read, to be lowered.
     */
    public static ParityReport check(Path deploy, Path fakeQuant, List<Map<String, Tensor>> feeds, double tolerance) {
        checkArguments(feeds, tolerance);
        try (ScratchFolder dir = ScratchFolder.temporary("parity")) {
            return run(ModelIo.load(deploy), fakeQuant, feeds, tolerance, dir);
        }
    }

    /**
     * Runs the deploy model's integer reference and the fake_quant model on every feed and compares each graph
     * output.
     *
     * @param feeds one map per sample: graph input name to tensor, fed to both models
     * @param tolerance the largest absolute difference per value that still passes, finite and &ge; 0
     * @throws InvalidModelException when the two models do not have the same outputs, or an output's shape
     *     differs between them
     */
    public static ParityReport check(
            OnnxModel deploy, OnnxModel fakeQuant, List<Map<String, Tensor>> feeds, double tolerance) {
        checkArguments(feeds, tolerance);
        try (ScratchFolder dir = ScratchFolder.temporary("parity")) {
            Path fake = dir.resolve("fake_quant.onnx");
            ModelIo.save(fakeQuant, fake);
            return run(deploy, fake, feeds, tolerance, dir);
        }
    }

    private static void checkArguments(List<Map<String, Tensor>> feeds, double tolerance) {
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be finite and >= 0, got " + tolerance);
        }
        if (feeds.isEmpty()) {
            throw new InvalidDataException("the parity check needs at least one sample to feed");
        }
    }

    /** Lowers {@code deploy} into {@code dir} and runs it beside the fake_quant model file. */
    private static ParityReport run(
            OnnxModel deploy, Path fake, List<Map<String, Tensor>> feeds, double tolerance, ScratchFolder dir) {
        DeployLowering.Lowered lowered = DeployLowering.lower(deploy);
        Path reference = dir.resolve("deploy_reference.onnx");
        ModelIo.save(lowered.model(), reference);
        try (InferenceSession ref = InferenceSession.open(reference, SETTINGS);
                InferenceSession fq = InferenceSession.open(fake, SETTINGS)) {
            List<String> names = ref.outputs().stream().map(ValueSpec::name).toList();
            List<String> fakeNames = fq.outputs().stream().map(ValueSpec::name).toList();
            if (!new HashSet<>(names).equals(new HashSet<>(fakeNames))) {
                throw new InvalidModelException(
                        "the deploy model's outputs " + names + " differ from the fake_quant model's " + fakeNames);
            }
            Comparison[] comparisons = new Comparison[names.size()];
            for (int i = 0; i < comparisons.length; i++) comparisons[i] = new Comparison(names.get(i));
            for (Map<String, Tensor> feed : feeds) {
                Map<String, Tensor> a = ref.run(feed, names);
                Map<String, Tensor> b = fq.run(feed, names);
                for (Comparison c : comparisons) c.add(a.get(c.name), b.get(c.name));
            }
            List<OutputParity> outputs =
                    Stream.of(comparisons).map(Comparison::result).toList();
            return new ParityReport(tolerance, feeds.size(), outputs, lowered.accumulation());
        }
    }

    /** Running maxima for one output. */
    private static final class Comparison {
        private final String name;
        private long elements;
        private double maxAbs;
        private double maxRel;

        Comparison(String name) {
            this.name = name;
        }

        void add(Tensor deploy, Tensor fake) {
            if (!Arrays.equals(deploy.shape(), fake.shape())) {
                throw new InvalidModelException("output '" + name + "' has shape " + Arrays.toString(deploy.shape())
                        + " in the deploy model but " + Arrays.toString(fake.shape()) + " in the fake_quant model");
            }
            float[] a = deploy.toFloats();
            float[] b = fake.toFloats();
            for (int i = 0; i < a.length; i++) {
                double x = a[i];
                double y = b[i];
                if (Double.compare(x, y) == 0 || x == y) continue;
                double abs = Math.abs(x - y);
                if (Double.isNaN(abs)) abs = Double.POSITIVE_INFINITY;
                double scale = Math.max(Math.abs(x), Math.abs(y));
                double rel = Double.isFinite(scale) && scale > 0 ? abs / scale : Double.POSITIVE_INFINITY;
                maxAbs = Math.max(maxAbs, abs);
                maxRel = Math.max(maxRel, rel);
            }
            elements += a.length;
        }

        OutputParity result() {
            return new OutputParity(name, elements, maxAbs, maxRel);
        }
    }
}
