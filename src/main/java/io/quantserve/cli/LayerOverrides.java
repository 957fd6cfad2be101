package io.quantserve.cli;

import io.quantserve.engine.InvalidConfigException;
import io.quantserve.engine.config.ActAlgo;
import io.quantserve.engine.config.ActivationAlgorithm;
import io.quantserve.engine.config.ConfigOptions;
import io.quantserve.engine.config.LayerOverride;
import java.util.List;

/**
 * Parses {@code --override NAME:key=value[,key=value…]} into per-layer config overrides. Keys: {@code
 * quant_enable}, {@code asymmetric}, {@code channel_wise} (true/false), {@code act_algo} (ifmr, hfmg, minmax,
 * percentile, kl with their default parameters) and {@code dmq_balancer_param} (a number in (0, 1), or {@code
 * off}). The layer name ends at the last ':' before the first '=', so names containing ':' still work.
 */
final class LayerOverrides {
    private LayerOverrides() {}

    static ConfigOptions.Builder apply(ConfigOptions.Builder options, List<String> specs) {
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            int colon = eq < 0 ? -1 : spec.lastIndexOf(':', eq);
            if (colon <= 0) {
                throw new InvalidConfigException(
                        "--override '" + spec + "' must look like LAYER:key=value[,key=value]");
            }
            String layer = spec.substring(0, colon);
            LayerOverride o = LayerOverride.none();
            for (String pair : spec.substring(colon + 1).split(",")) {
                String[] kv = pair.split("=", 2);
                if (kv.length != 2) {
                    throw new InvalidConfigException(
                            "--override for layer '" + layer + "': '" + pair + "' is not key=value");
                }
                String key = kv[0].trim();
                String value = kv[1].trim();
                o = switch (key) {
                    case "quant_enable" -> o.withQuantEnable(bool(layer, key, value));
                    case "asymmetric" -> o.withAsymmetric(bool(layer, key, value));
                    case "channel_wise" -> o.withChannelWise(bool(layer, key, value));
                    case "act_algo" -> o.withAlgorithm(algorithm(layer, value));
                    case "dmq_balancer_param" -> o.withDmqBalancerParam(dmq(layer, value));
                    default ->
                        throw new InvalidConfigException("--override for layer '" + layer + "': unknown key '" + key
                                + "' (quant_enable, asymmetric, channel_wise, act_algo, dmq_balancer_param)");
                };
            }
            options.override(layer, o);
        }
        return options;
    }

    private static boolean bool(String layer, String key, String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw new InvalidConfigException(
                        "--override for layer '" + layer + "': " + key + " must be true or false, got '" + value + "'");
        };
    }

    private static double dmq(String layer, String value) {
        if (value.equals("off")) return LayerOverride.DMQ_OFF;
        double alpha;
        try {
            alpha = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new InvalidConfigException("--override for layer '" + layer
                    + "': dmq_balancer_param must be a number in (0, 1) or 'off', got '" + value + "'");
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new InvalidConfigException("--override for layer '" + layer
                    + "': dmq_balancer_param must lie in (0, 1) or be 'off', got '" + value + "'");
        }
        return alpha;
    }

    private static ActivationAlgorithm algorithm(String layer, String value) {
        try {
            return ActivationAlgorithm.withDefaults(ActAlgo.fromJson(value));
        } catch (InvalidConfigException e) {
            throw new InvalidConfigException("--override for layer '" + layer + "': " + e.getMessage());
        }
    }
}
