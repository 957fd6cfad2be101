package io.quantserve.engine.layers;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link LayerFinder} found: quantizable layers and refused candidates, both in graph order, and the layers of the
 * main graph whose data input is a normalization output ({@link NormalizationOutputs}).
 */
public record LayerScan(List<QuantizableLayer> layers, List<SkippedNode> skipped, Set<String> normalizationFed) {
    public LayerScan {
        layers = List.copyOf(layers);
        skipped = List.copyOf(skipped);
        normalizationFed = Set.copyOf(normalizationFed);
    }

    /** A scan without normalization information (no layer counts as normalization-fed). */
    public LayerScan(List<QuantizableLayer> layers, List<SkippedNode> skipped) {
        this(layers, skipped, Set.of());
    }

    public Optional<QuantizableLayer> layer(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst();
    }
}
