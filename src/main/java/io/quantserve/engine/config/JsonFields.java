package io.quantserve.engine.config;

import io.quantserve.engine.InvalidConfigException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Typed, strict access to the keys of one JSON object of the config. Messages name the key by its path inside
 * the layer (e.g. {@code activation_quant_params.search_step}); the caller adds the layer. No coercion: a
 * boolean must be {@code true}/{@code false}, an integer must be written without a fraction or exponent.
 */
final class JsonFields {
    private final JsonNode node;
    private final String prefix;

    /**
     * @param node the object
     * @param path the object's key path, empty for the object of a layer or the top level
     */
    JsonFields(JsonNode node, String path) {
        this.node = node;
        this.prefix = path.isEmpty() ? "" : path + ".";
    }

    String path(String key) {
        return prefix + key;
    }

    List<String> keys() {
        return new ArrayList<>(node.propertyNames());
    }

    boolean has(String key) {
        return node.has(key);
    }

    /** Fails on the first key not in {@code allowed}, listing the allowed keys. */
    void rejectUnknown(Collection<String> allowed) {
        for (String key : node.propertyNames()) {
            if (!allowed.contains(key)) {
                throw new InvalidConfigException(
                        "unknown key " + path(key) + " (allowed: " + String.join(", ", allowed) + ")");
            }
        }
    }

    JsonNode require(String key) {
        JsonNode v = node.get(key);
        if (v == null) {
            throw new InvalidConfigException("missing key " + path(key));
        }
        return v;
    }

    boolean requireBoolean(String key) {
        return bool(key, require(key));
    }

    Optional<Boolean> optionalBoolean(String key) {
        JsonNode v = node.get(key);
        return v == null ? Optional.empty() : Optional.of(bool(key, v));
    }

    int requireInt(String key) {
        JsonNode v = require(key);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw wrongType(key, "an integer", v);
        }
        return v.intValue();
    }

    /** A number (integer or fraction) that is finite as a double. */
    double requireDouble(String key) {
        return number(path(key), require(key));
    }

    String requireString(String key) {
        JsonNode v = require(key);
        if (!v.isString()) {
            throw wrongType(key, "a string", v);
        }
        return v.stringValue();
    }

    Optional<String> optionalString(String key) {
        return node.has(key) ? Optional.of(requireString(key)) : Optional.empty();
    }

    JsonFields requireObject(String key) {
        JsonNode v = require(key);
        if (!v.isObject()) {
            throw wrongType(key, "an object", v);
        }
        return new JsonFields(v, path(key));
    }

    /** An array of exactly {@code size} finite numbers. */
    double[] requireNumbers(String key, int size) {
        JsonNode v = require(key);
        if (!v.isArray() || v.size() != size) {
            throw wrongType(key, "an array of " + size + " numbers", v);
        }
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = number(path(key) + "[" + i + "]", v.get(i));
        }
        return out;
    }

    /** An array of strings, possibly empty. */
    List<String> requireStrings(String key) {
        JsonNode v = require(key);
        if (!v.isArray()) {
            throw wrongType(key, "an array of strings", v);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isString()) {
                throw new InvalidConfigException(path(key) + "[" + i + "] must be a string, got " + describe(e));
            }
            out.add(e.stringValue());
        }
        return out;
    }

    private boolean bool(String key, JsonNode v) {
        if (!v.isBoolean()) {
            throw wrongType(key, "a boolean (true or false)", v);
        }
        return v.booleanValue();
    }

    private static double number(String path, JsonNode v) {
        if (!v.isNumber()) {
            throw new InvalidConfigException(path + " must be a number, got " + describe(v));
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            throw new InvalidConfigException(path + " must be a finite number, got " + v);
        }
        return d;
    }

    private InvalidConfigException wrongType(String key, String expected, JsonNode v) {
        return new InvalidConfigException(path(key) + " must be " + expected + ", got " + describe(v));
    }

    /** A short description of a JSON value for messages, e.g. {@code string "2"}. */
    static String describe(JsonNode v) {
        String text = v.toString();
        if (text.length() > 40) text = text.substring(0, 37) + "...";
        return switch (v.getNodeType()) {
            case STRING -> "string " + text;
            case NUMBER -> "number " + text;
            case BOOLEAN -> "boolean " + text;
            case NULL -> "null";
            case ARRAY -> "array " + text;
            case OBJECT -> "object " + text;
            default -> text;
        };
    }
}
