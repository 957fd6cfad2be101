package io.quantserve.engine.inspect;

import io.quantserve.engine.InvalidModelException;
import io.quantserve.engine.onnx.NodeNames;
import io.quantserve.engine.onnx.NodeNames.Rename;
import io.quantserve.engine.onnx.OnnxModel;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The graph preparation every quantization run starts with, for models as exported in the wild:
 *
 * <ol>
 *   <li>every node gets a unique, non-empty name ({@link NodeNames}: {@code {op_type}_{index}});
 *   <li>{@code Constant} nodes become initializers of their graph (main graph or subgraph), so weights stored in
 *       them count as constants;
 *   <li>initializers also listed as main-graph inputs (IR &lt; 4 style) are removed from the inputs, and
 *       {@code ir_version} is raised to {@value #MIN_IR_VERSION} where the result needs it;
 *   <li>models the engine cannot quantize are refused: an ai.onnx opset outside {@value #MIN_OPSET}..{@value
 *       #MAX_OPSET}, already-quantized models, float16 models.
 * </ol>
 *
 * The rewrites change no computed value: ONNX Runtime gives the same outputs for the model before and after.
 * Deterministic: the same model always gives the same bytes and the same change list.
 */
public final class ModelNormalizer {
    /** Lowest ai.onnx opset accepted without conversion. */
    public static final long MIN_OPSET = 9;

    /** Highest ai.onnx opset accepted. */
    public static final long MAX_OPSET = 21;

    /** First IR version in which initializers need not be graph inputs. */
    static final long MIN_IR_VERSION = 4;

    private static final int EXAMPLES = 5;

    private ModelNormalizer() {}

    /**
     * Prepares {@code model} for quantization and reports each change.
     *
     * @throws InvalidModelException when the model is refused; the message names the evidence (node, input or
     *     weight) and what to do, e.g. {@code already quantized: found QuantizeLinear node 'q1' …}
     */
    public static NormalizedModel normalize(OnnxModel model) {
        NormalizedModel result = rewrite(model);
        List<String> refusals = ModelRefusals.find(result.model().proto());
        if (!refusals.isEmpty()) {
            throw new InvalidModelException(String.join(" ", refusals));
        }
        return result;
    }

    /** The rewriting steps alone, without refusing anything (inspection reports refusals instead). */
    static NormalizedModel rewrite(OnnxModel model) {
        List<String> changes = new ArrayList<>();
        // Names first: scopes of Constant nodes in subgraphs are reported by the names of the nodes holding them.
        NodeNames.Result named = NodeNames.normalize(model.proto());
        ConstantHoisting.Result hoisted = ConstantHoisting.apply(named.model());
        // Renaming a Constant that then becomes an initializer is no change worth reporting.
        describeRenames(
                named.renames().stream()
                        .filter(r -> !hoisted.removedNodes().contains(r.newName()))
                        .toList(),
                changes);
        if (hoisted.moved() > 0) {
            String weights = hoisted.floatWeights() == 0
                    ? ""
                    : "; " + hoisted.floatWeights() + (hoisted.floatWeights() == 1 ? " of them holds" : " of them hold")
                            + " float weights (rank 2 or more), which now count as constants";
            changes.add("moved " + count(hoisted.moved(), "Constant node") + " into initializers ("
                    + scopes(hoisted.movedByScope()) + ")" + weights);
        }

        InitializerInputs.Result inputs = InitializerInputs.apply(hoisted.model());
        if (!inputs.removed().isEmpty()) {
            changes.add("removed " + count(inputs.removed().size(), "initializer")
                    + " from the graph inputs (IR < 4 style; weights are constants for quantization): "
                    + Phrases.examples(inputs.removed(), EXAMPLES));
        }

        ModelProto proto = inputs.model();
        boolean initializersAdded = hoisted.moved() > 0 || !inputs.removed().isEmpty();
        if (initializersAdded && proto.getIrVersion() < MIN_IR_VERSION) {
            changes.add("raised ir_version from " + proto.getIrVersion() + " to " + MIN_IR_VERSION
                    + " (initializers are no longer listed as graph inputs)");
            proto = proto.toBuilder().setIrVersion(MIN_IR_VERSION).build();
        }
        return new NormalizedModel(model.withProto(proto), changes);
    }

    private static void describeRenames(List<Rename> renames, List<String> changes) {
        List<String> unnamed = renames.stream()
                .filter(r -> r.oldName().isEmpty())
                .map(Rename::newName)
                .toList();
        List<String> duplicates = renames.stream()
                .filter(r -> !r.oldName().isEmpty())
                .map(r -> "'" + r.oldName() + "' (" + r.opType() + ") to '" + r.newName() + "'")
                .toList();
        if (!unnamed.isEmpty()) {
            changes.add("named " + count(unnamed.size(), "unnamed node") + " {op_type}_{index}: "
                    + Phrases.examples(unnamed, EXAMPLES));
        }
        if (!duplicates.isEmpty()) {
            changes.add("renamed " + count(duplicates.size(), "node") + " whose name was already taken: "
                    + Phrases.examples(duplicates, EXAMPLES));
        }
    }

    private static String scopes(Map<String, Integer> byScope) {
        List<String> parts = new ArrayList<>();
        byScope.forEach((scope, n) -> parts.add((scope.isEmpty() ? "main graph" : scope) + ": " + n));
        return Phrases.examples(parts, EXAMPLES);
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
