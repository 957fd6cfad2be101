package io.quantserve.engine.pipeline;

import io.quantserve.engine.onnx.ModelTensors;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.TensorProtos;
import io.quantserve.engine.report.ReplayListener;
import io.quantserve.engine.tensor.Tensor;
import io.quantserve.engine.verify.DeployParityCheck;
import io.quantserve.engine.verify.ParityReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The verification of an export, run on the report replay's runs: the replay already runs the prepared float model
 * and the fake-quant model on the retained batches, so each check runs only its other model on the same samples —
 * the original model ({@link PreparationCheck}), the deploy model's integer reference ({@link
 * DeployParityCheck.Reference}) and the INT8 model ({@link Int8Agreement}). Each model is loaded once.
 *
 * <p>The original model's session would hold a float copy of the weights through the whole replay, beside the
 * replay's own two models: for a model whose weights exceed {@link #SHARED_ORIGINAL_LIMIT} the preparation check
 * instead runs first, on its own ({@link PreparationCheck#alone}), and its sessions are closed before the replay.
 * That runs the prepared model once more, which matters less than memory at that size.
 */
final class ReplayChecks implements ReplayListener, AutoCloseable {
    /** Weight bytes above which the preparation check runs before the replay instead of on its runs. */
    static final long SHARED_ORIGINAL_LIMIT = 64L << 20;

    /** Null when the check ran before the replay; {@link #checkedPreparation} holds its result then. */
    private final @Nullable PreparationCheck preparation;

    private final double checkedPreparation;
    private final DeployParityCheck.@Nullable Reference deploy;
    private final Int8Agreement int8;

    private ReplayChecks(
            @Nullable PreparationCheck preparation,
            double checkedPreparation,
            DeployParityCheck.@Nullable Reference deploy,
            Int8Agreement int8) {
        this.preparation = preparation;
        this.checkedPreparation = checkedPreparation;
        this.deploy = deploy;
        this.int8 = int8;
    }

    /**
     * @param original the model as the user gave it
     * @param prepared the prepared float model the replay runs
     * @param feeds the retained batches the replay runs
     * @param deploy the deploy model when its factors are the fake-quant model's, so that the fake-quant outputs
     *     are its parity reference; null when its parity is checked against a model of its own
     * @param fakeQuant the fake-quant model the replay runs, for its graph outputs
     * @param int8 the INT8 model's file
     * @param scratch where the deploy model's lowered reference is kept while open, and the prepared model's file
     *     while its check runs alone
     * @param sharedOriginalLimit weight bytes above which the preparation check runs alone, before the replay
     *     ({@link #SHARED_ORIGINAL_LIMIT} in a run)
     */
    static ReplayChecks open(
            Path original,
            OnnxModel prepared,
            List<Map<String, Tensor>> feeds,
            @Nullable OnnxModel deploy,
            OnnxModel fakeQuant,
            Path int8,
            Path scratch,
            long sharedOriginalLimit) {
        boolean alone = weightBytes(prepared) > sharedOriginalLimit;
        double checked = alone ? PreparationCheck.alone(original, prepared, feeds, scratch) : Double.NaN;
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            PreparationCheck preparation = alone ? null : add(opened, new PreparationCheck(original));
            DeployParityCheck.Reference reference = null;
            if (deploy != null) {
                reference = add(opened, DeployParityCheck.Reference.open(deploy, scratch));
                reference.requireOutputs(fakeQuant.outputNames());
            }
            return new ReplayChecks(preparation, checked, reference, add(opened, new Int8Agreement(int8)));
        } catch (RuntimeException e) {
            for (AutoCloseable c : opened.reversed()) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static long weightBytes(OnnxModel model) {
        long[] sum = {0};
        ModelTensors.forEach(model.proto(), t -> sum[0] += TensorProtos.payloadBytes(t));
        return sum[0];
    }

    private static <T extends AutoCloseable> T add(List<AutoCloseable> opened, T resource) {
        opened.add(resource);
        return resource;
    }

    @Override
    public void ran(Map<String, Tensor> feed, Map<String, Tensor> floatOutputs, Map<String, Tensor> fakeQuantOutputs) {
        if (preparation != null) preparation.add(feed, floatOutputs);
        if (deploy != null) deploy.compare(feed, fakeQuantOutputs);
        int8.add(feed, fakeQuantOutputs);
    }

    /** The largest difference between the prepared and the original model; throws when it is too large. */
    double preparationDiff() {
        return preparation == null ? checkedPreparation : preparation.verify();
    }

    /**
     * The deploy parity over the runs seen, or null when this check was not given the deploy model.
     *
     * @param batches the retained batches the runs came from
     */
    @Nullable
    ParityReport parity(double tolerance, int batches) {
        return deploy == null ? null : deploy.report(tolerance, batches);
    }

    double int8Diff() {
        return int8.maxAbsDiff();
    }

    @Override
    public void close() {
        try (int8) {
            if (deploy != null) deploy.close();
        } finally {
            if (preparation != null) preparation.close();
        }
    }
}
