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
        try (Reference ref = Reference.open(deploy, dir.path());
                InferenceSession fq = InferenceSession.open(fake, SETTINGS)) {
            List<String> fakeNames = fq.outputs().stream().map(ValueSpec::name).toList();
            ref.requireOutputs(fakeNames);
            for (Map<String, Tensor> feed : feeds) ref.compare(feed, fq.run(feed, fakeNames));
            return ref.report(tolerance, feeds.size());
        }
    }

    /**
     * The deploy model's integer reference, opened once and compared run by run with fake_quant outputs that the
     * caller computed: a caller that runs the fake_quant model anyway (the quality report's replay) need not run it
     * a second time. Those outputs must come from a session without graph optimisations, as {@link #check} uses.
     */
    public static final class Reference implements AutoCloseable {
        private final ScratchFolder dir;
        private final InferenceSession session;
        private final List<AccumulationBound> accumulation;
        private final List<String> names;
        private final OutputDifference[] differences;

        private Reference(ScratchFolder dir, InferenceSession session, List<AccumulationBound> accumulation) {
            this.dir = dir;
            this.session = session;
            this.accumulation = accumulation;
            this.names = session.outputs().stream().map(ValueSpec::name).toList();
            this.differences = names.stream().map(OutputDifference::new).toArray(OutputDifference[]::new);
        }

        /**
         * Lowers {@code deploy} ({@link DeployLowering}) and opens its reference.
         *
         * @param scratch where the lowered model's file is kept until {@link #close}
         */
        public static Reference open(OnnxModel deploy, Path scratch) {
            DeployLowering.Lowered lowered = DeployLowering.lower(deploy);
            ScratchFolder dir = ScratchFolder.under(scratch, "deploy-reference");
            try {
                Path file = dir.resolve("deploy_reference.onnx");
                ModelIo.save(lowered.model(), file);
                return new Reference(dir, InferenceSession.open(file, SETTINGS), lowered.accumulation());
            } catch (RuntimeException e) {
                dir.close();
                throw e;
            }
        }

        /** The reference's graph outputs: those {@link #compare} needs from the fake_quant model. */
        public List<String> outputs() {
            return names;
        }

        /**
         * @throws InvalidModelException when the fake_quant model's outputs are not the deploy model's
         */
        public void requireOutputs(List<String> fakeQuantOutputs) {
            if (!new HashSet<>(names).equals(new HashSet<>(fakeQuantOutputs))) {
                throw new InvalidModelException("the deploy model's outputs " + names
                        + " differ from the fake_quant model's " + fakeQuantOutputs);
            }
        }

        /**
         * Runs the reference on {@code feed} and compares each graph output with the fake_quant model's.
         *
         * @param fakeQuant the fake_quant model's outputs on {@code feed}, by name; read during the call only
         * @throws InvalidModelException when an output's shape differs between the two models
         */
        public void compare(Map<String, Tensor> feed, Map<String, Tensor> fakeQuant) {
            Map<String, Tensor> a = session.run(feed, names);
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                Tensor deploy = a.get(name);
                Tensor fake = fakeQuant.get(name);
                if (fake == null) {
                    throw new InvalidModelException(
                            "the fake_quant run lacks the deploy model's output '" + name + "'");
                }
                if (!Arrays.equals(deploy.shape(), fake.shape())) {
                    throw new InvalidModelException("output '" + name + "' has shape "
                            + Arrays.toString(deploy.shape()) + " in the deploy model but "
                            + Arrays.toString(fake.shape()) + " in the fake_quant model");
                }
                differences[i].add(deploy, fake);
            }
        }

        /** The differences so far, judged against {@code tolerance}; {@code samples} is the number of feeds compared. */
        public ParityReport report(double tolerance, int samples) {
            List<OutputParity> outputs =
                    Stream.of(differences).map(OutputDifference::parity).toList();
            return new ParityReport(tolerance, samples, outputs, accumulation);
        }

        @Override
        public void close() {
            try {
                session.close();
            } finally {
                dir.close();
            }
        }
    }
}
