package io.quantserve.engine.layers;

import io.quantserve.engine.layers.LayerRule.Accepted;
import io.quantserve.engine.layers.LayerRule.Refused;
import io.quantserve.engine.onnx.proto.Onnx.AttributeProto;
import io.quantserve.engine.onnx.proto.Onnx.GraphProto;
import io.quantserve.engine.onnx.proto.Onnx.ModelProto;
import io.quantserve.engine.onnx.proto.Onnx.NodeProto;
import io.quantserve.engine.onnx.proto.Onnx.TensorProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the quantizable layers of a model, in the main graph and in {@code If}/{@code Loop}/{@code Scan}
 * bodies, applying {@link LayerRules}. Expects unique node names and weights as initializers (the
 * normalisation step turns {@code Constant} nodes into initializers).
 */
public final class LayerFinder {
    private LayerFinder() {}

    public static LayerScan scan(ModelProto model) {
        Map<String, List<String>> readers = new HashMap<>();
        collectReaders(model.getGraph(), readers);
        List<QuantizableLayer> layers = new ArrayList<>();
        List<SkippedNode> skipped = new ArrayList<>();
        visit(model.getGraph(), "", new LinkedHashMap<>(), readers, layers, skipped);
        Set<String> normalized = NormalizationOutputs.of(model.getGraph());
        Set<String> normalizationFed = new LinkedHashSet<>();
        for (QuantizableLayer l : layers) {
            if (l.scope().isEmpty() && normalized.contains(l.dataInput())) normalizationFed.add(l.name());
        }
        return new LayerScan(layers, skipped, normalizationFed);
    }

    private static void collectReaders(GraphProto g, Map<String, List<String>> readers) {
        for (NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) {
                List<String> r = readers.computeIfAbsent(in, k -> new ArrayList<>());
                if (!r.contains(n.getName())) r.add(n.getName());
            }
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) collectReaders(a.getG(), readers);
                a.getGraphsList().forEach(sub -> collectReaders(sub, readers));
            }
        }
    }

    private static void visit(
            GraphProto g,
            String path,
            Map<String, TensorProto> outerConstants,
            Map<String, List<String>> readers,
            List<QuantizableLayer> layers,
            List<SkippedNode> skipped) {
        Map<String, TensorProto> constants = new LinkedHashMap<>(outerConstants);
        // A name defined in this scope (input or node output) shadows an outer constant of the same name.
        g.getInputList().forEach(v -> constants.remove(v.getName()));
        g.getNodeList().forEach(n -> n.getOutputList().forEach(constants::remove));
        g.getInitializerList().forEach(t -> constants.put(t.getName(), t));
        LayerRule.Scope scope = new LayerRule.Scope() {
            @Override
            public Optional<TensorProto> constant(String tensor) {
                return Optional.ofNullable(constants.get(tensor));
            }

            @Override
            public List<String> readers(String tensor) {
                return readers.getOrDefault(tensor, List.of());
            }

            @Override
            public String path() {
                return path;
            }
        };
        for (NodeProto n : g.getNodeList()) {
            if (n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx")) {
                LayerType.forOpType(n.getOpType()).ifPresent(type -> {
                    switch (LayerRules.rule(type).inspect(n, scope)) {
                        case Accepted a -> layers.add(a.layer());
                        case Refused r -> skipped.add(new SkippedNode(n.getName(), n.getOpType(), path, r.reason()));
                    }
                });
            }
            for (AttributeProto a : n.getAttributeList()) {
                String sub = (path.isEmpty() ? "" : path + "/") + n.getName() + "/" + a.getName();
                if (a.hasG()) visit(a.getG(), sub, constants, readers, layers, skipped);
                for (int i = 0; i < a.getGraphsCount(); i++) {
                    visit(a.getGraphs(i), sub + "[" + i + "]", constants, readers, layers, skipped);
                }
            }
        }
    }
}
