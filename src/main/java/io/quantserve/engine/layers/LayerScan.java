package io.quantserve.engine.layers;

import java.util.List;
import java.util.Optional;

/** What {@link LayerFinder} found: quantizable layers and refused candidates, both in graph order. */
public record LayerScan(List<QuantizableLayer> layers, List<SkippedNode> skipped) {
    public LayerScan {
        layers = List.copyOf(layers);
        skipped = List.copyOf(skipped);
    }

    public Optional<QuantizableLayer> layer(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst();
    }
}
