package io.quantserve.engine.fusion;

import java.util.Set;

/** AMCT's {@code do_fusion} switch and {@code skip_fusion_layers} (names of Conv/ConvTranspose nodes). */
public record FusionOptions(boolean enabled, Set<String> skipLayers) {
    public FusionOptions {
        skipLayers = Set.copyOf(skipLayers);
    }

    public static FusionOptions defaults() {
        return new FusionOptions(true, Set.of());
    }
}
