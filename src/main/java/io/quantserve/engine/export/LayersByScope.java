package io.quantserve.engine.export;

import io.quantserve.engine.quant.LayerQuantization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Quantized layers grouped by the scope they sit in, scopes in order of first appearance, layers in list order. */
final class LayersByScope {
    private LayersByScope() {}

    static Map<String, List<LayerQuantization>> group(List<LayerQuantization> layers) {
        Map<String, List<LayerQuantization>> out = new LinkedHashMap<>();
        for (LayerQuantization lq : layers) {
            out.computeIfAbsent(lq.layer().scope(), k -> new ArrayList<>()).add(lq);
        }
        return out;
    }
}
