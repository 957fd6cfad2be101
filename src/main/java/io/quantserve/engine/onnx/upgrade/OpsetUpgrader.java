package io.quantserve.engine.onnx.upgrade;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.FunctionProto;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.OperatorSetIdProto;
import java.util.Optional;
import java.util.SortedSet;

/**
 * Rewrites a model's default domain ({@code ""}/{@code ai.onnx}) from the opset it imports to a newer one, so
 * that users never have to re-export: the engine needs opset 13 (per-channel QuantizeLinear/DequantizeLinear
 * {@code axis}) and accepts models of opset 9–21.
 *
 * <p>Contract of {@link #upgrade(ModelProto, int)}:
 *
 * <ul>
 *   <li>A model whose default-domain opset is already {@code >= targetOpset}, or that has no default-domain
 *       node, is returned unchanged (the same instance).
 *   <li>Otherwise every default-domain node of the main graph and of every subgraph is rewritten, in order,
 *       through the per-operator table: most operators are unchanged; those whose attributes became inputs,
 *       whose semantics changed (Softmax family at 13, Resize grid at 11) or that were replaced (Upsample,
 *       Scatter) get exact equivalents. Output names, graph inputs, outputs and existing initializers are kept;
 *       constants created for former attributes are appended as initializers; helper names are fresh.
 *   <li>The default-domain opset import becomes {@code targetOpset}, and {@code ir_version} is raised to the
 *       minimum that opset needs ({@link #minimumIrVersion}) when lower. Other domains are left alone.
 *   <li>An operator that cannot be rewritten exactly fails with an {@link InvalidModelException} naming the
 *       node, the operator and why; an operator unknown to the table also lists the known ones.
 *   <li>Deterministic: the same model and target give the same bytes.
 * </ul>
 */
public final class OpsetUpgrader {
    /** The newest opset this upgrader writes. */
    public static final int MAX_TARGET_OPSET = 13;

    private OpsetUpgrader() {}

    /** {@link #upgrade(ModelProto, int)} keeping the model's external-data folder. */
    public static OnnxModel upgrade(OnnxModel model, int targetOpset) {
        ModelProto upgraded = upgrade(model.proto(), targetOpset);
        return upgraded == model.proto() ? model : model.withProto(upgraded);
    }

    /**
     * Returns {@code model} rewritten to default-domain opset {@code targetOpset} (see the class contract).
     *
     * @throws InvalidConfigException if {@code targetOpset} is not in 1..{@value #MAX_TARGET_OPSET}
     * @throws InvalidModelException if a node cannot be rewritten exactly
     */
    public static ModelProto upgrade(ModelProto model, int targetOpset) {
        if (targetOpset < 1 || targetOpset > MAX_TARGET_OPSET) {
            throw new InvalidConfigException(
                    "targetOpset must be between 1 and " + MAX_TARGET_OPSET + ", got " + targetOpset);
        }
        Optional<Long> imported = defaultOpsetImport(model);
        if (imported.isEmpty()) {
            if (usesDefaultDomain(model.getGraph())) {
                throw new InvalidModelException(
                        "the model uses ai.onnx operators but imports no ai.onnx opset, so its operator versions"
                                + " are unknown");
            }
            return model;
        }
        long from = imported.get();
        if (from >= targetOpset) return model;
        for (FunctionProto f : model.getFunctionsList()) {
            for (OperatorSetIdProto o : f.getOpsetImportList()) {
                if (isDefault(o.getDomain()) && o.getVersion() < targetOpset) {
                    throw new InvalidModelException("model-local function '" + f.getName() + "' uses ai.onnx opset "
                            + o.getVersion() + "; functions are not upgraded to " + targetOpset);
                }
            }
        }
        GraphProto graph =
                new GraphUpgrader(from, targetOpset, new ModelNames(model.getGraph())).upgrade(model.getGraph(), null);
        ModelProto.Builder b = model.toBuilder().setGraph(graph);
        for (int i = 0; i < b.getOpsetImportCount(); i++) {
            if (isDefault(b.getOpsetImport(i).getDomain())) {
                b.setOpsetImport(i, b.getOpsetImport(i).toBuilder().setVersion(targetOpset));
            }
        }
        b.setIrVersion(Math.max(model.getIrVersion(), minimumIrVersion(targetOpset)));
        return b.build();
    }

    /**
     * The lowest IR version that may carry default-domain opset {@code opset} (ONNX versioning table: opsets up
     * to 8 need IR 3, 9 → 4, 10 → 5, 11 → 6, 12 and 13 → 7).
     */
    public static long minimumIrVersion(int opset) {
        if (opset <= 8) return 3;
        if (opset <= 11) return opset - 5L;
        return 7;
    }

    /** The {@code ai.onnx} operators the upgrader can carry to {@value #MAX_TARGET_OPSET}, sorted. */
    public static SortedSet<String> supportedOperators() {
        return OpAdapters.supportedOps();
    }

    private static Optional<Long> defaultOpsetImport(ModelProto model) {
        return model.getOpsetImportList().stream()
                .filter(o -> isDefault(o.getDomain()))
                .map(OperatorSetIdProto::getVersion)
                .findFirst();
    }

    private static boolean usesDefaultDomain(GraphProto g) {
        for (NodeProto n : g.getNodeList()) {
            if (GraphUpgrader.isDefaultDomain(n)) return true;
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG() && usesDefaultDomain(a.getG())) return true;
                if (a.getGraphsList().stream().anyMatch(OpsetUpgrader::usesDefaultDomain)) return true;
            }
        }
        return false;
    }

    private static boolean isDefault(String domain) {
        return domain.isEmpty() || domain.equals("ai.onnx");
    }
}
