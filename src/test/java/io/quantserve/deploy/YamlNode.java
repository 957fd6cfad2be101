package io.quantserve.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A node of a parsed YAML document (SnakeYAML, merge keys resolved) with navigation that names the path walked in
 * its failures: {@code doc.at("spec", "template", "spec").list("containers")}. A missing key gives a missing node
 * rather than an exception, so that tests can assert absence.
 */
record YamlNode(String path, @Nullable Object value) {
    /** The documents of a multi-document stream, empty documents dropped. */
    static List<YamlNode> parseAll(String text) {
        List<YamlNode> documents = new ArrayList<>();
        for (Object document : yaml().loadAll(text)) {
            if (document != null) documents.add(new YamlNode("doc" + documents.size(), document));
        }
        return documents;
    }

    static YamlNode parse(Path file) {
        try {
            return new YamlNode(file.toString(), yaml().load(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    /** The node at {@code keys} below this mapping. */
    YamlNode at(String... keys) {
        YamlNode node = this;
        for (String key : keys) {
            Object child = node.value instanceof Map<?, ?> map ? map.get(key) : null;
            node = new YamlNode(node.path + "." + key, child);
        }
        return node;
    }

    boolean isMissing() {
        return value == null;
    }

    /** The scalar here as text (numbers and booleans too); fails when missing or not a scalar. */
    String text() {
        if (value == null || value instanceof Map || value instanceof List) {
            throw new AssertionError(path + " is not a scalar: " + value);
        }
        return value.toString();
    }

    /** The elements of the sequence at {@code key}; empty when missing. */
    List<YamlNode> list(String key) {
        YamlNode node = at(key);
        if (node.value == null) return List.of();
        if (!(node.value instanceof List<?> items)) throw new AssertionError(node.path + " is not a list");
        List<YamlNode> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) out.add(new YamlNode(node.path + "[" + i + "]", items.get(i)));
        return out;
    }

    /** The entries of the mapping here, in document order; empty when missing. */
    Map<String, YamlNode> entries() {
        if (value == null) return Map.of();
        if (!(value instanceof Map<?, ?> map)) throw new AssertionError(path + " is not a mapping");
        Map<String, YamlNode> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), new YamlNode(path + "." + k, v)));
        return out;
    }

    /** The mapping here with scalar values as text (an environment, labels, ConfigMap data). */
    Map<String, String> textMap() {
        Map<String, String> out = new LinkedHashMap<>();
        entries().forEach((k, v) -> out.put(k, v.text()));
        return out;
    }

    /** The scalars of the sequence here as text. */
    List<String> texts() {
        if (value == null) return List.of();
        if (!(value instanceof List<?> items)) throw new AssertionError(path + " is not a list");
        return items.stream().map(item -> Objects.toString(item)).toList();
    }
}
