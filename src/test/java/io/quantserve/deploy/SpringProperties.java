package io.quantserve.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Spring Boot properties the service reads, and how environment variables bind to them. The names come from the
 * service's {@link ConfigurationProperties} records (their components, nested records included, in kebab case) and
 * from the configuration metadata that Spring Boot's jars ship ({@code spring.datasource.url}, {@code server.port},
 * …). Variables are mapped the way Spring Boot maps the process environment ({@code QUANTSERVE_STORAGE_S3_ACCESS_KEY}
 * and {@code QUANTSERVE_STORAGE_S3_ACCESSKEY} both bind {@code quantserve.storage.s3.access-key}).
 */
final class SpringProperties {
    /** Prefixes of the variables meant as Spring properties; others (JDK_JAVA_OPTIONS, POSTGRES_DB) are not. */
    private static final List<String> PREFIXES =
            List.of("QUANTSERVE_", "SPRING_", "SERVER_", "MANAGEMENT_", "LOGGING_", "SPRINGDOC_");

    private static final String SERVICE_PACKAGE = "io.quantserve";

    private final Set<ConfigurationPropertyName> names;

    private SpringProperties(Set<ConfigurationPropertyName> names) {
        this.names = names;
    }

    /** Reads the property names from the test class path. */
    static SpringProperties load() {
        Set<ConfigurationPropertyName> names = new LinkedHashSet<>();
        for (String name : serviceProperties()) names.add(ConfigurationPropertyName.of(name));
        for (String name : springBootMetadata()) {
            if (ConfigurationPropertyName.isValid(name)) names.add(ConfigurationPropertyName.of(name));
        }
        return new SpringProperties(Collections.unmodifiableSet(names));
    }

    /** Whether {@code variable} is meant as a Spring property (by its prefix). */
    static boolean isSpringVariable(String variable) {
        return PREFIXES.stream().anyMatch(variable::startsWith);
    }

    /** Whether {@code property} is one of the known names. */
    boolean knows(String property) {
        return names.contains(ConfigurationPropertyName.of(property));
    }

    /** The property that {@code variable} sets, or empty when it sets none of the known ones. */
    Optional<String> propertyOf(String variable) {
        ConfigurationPropertySource source = environment(Map.of(variable, "value"));
        for (ConfigurationPropertyName name : names) {
            if (source.getConfigurationProperty(name) != null) return Optional.of(name.toString());
        }
        return Optional.empty();
    }

    /**
     * Binds {@code variables} to a configuration record as the service does at start (defaults and validation of
     * the record included).
     */
    static <T> T bind(Map<String, String> variables, String prefix, Class<T> type) {
        return new Binder(environment(variables)).bindOrCreate(prefix, type);
    }

    private static ConfigurationPropertySource environment(Map<String, String> variables) {
        // Spring applies the environment variable mapping only to a source of this name.
        return ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<>(variables)));
    }

    private static List<String> serviceProperties() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        List<String> names = new ArrayList<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents(SERVICE_PACKAGE)) {
            Class<?> type = load(Objects.requireNonNull(candidate.getBeanClassName()));
            ConfigurationProperties annotation =
                    Objects.requireNonNull(type.getAnnotation(ConfigurationProperties.class));
            String prefix = annotation.value().isEmpty() ? annotation.prefix() : annotation.value();
            addComponents(prefix, type, names);
        }
        if (names.isEmpty()) throw new IllegalStateException("no @ConfigurationProperties under " + SERVICE_PACKAGE);
        return names;
    }

    private static void addComponents(String prefix, Class<?> type, List<String> names) {
        RecordComponent[] components = type.getRecordComponents();
        if (components == null) throw new IllegalStateException(type + " is not a record");
        for (RecordComponent component : components) {
            String name = prefix + "." + kebab(component.getName());
            Class<?> componentType = component.getType();
            if (componentType.isRecord() && componentType.getName().startsWith(SERVICE_PACKAGE)) {
                addComponents(name, componentType, names);
            } else {
                names.add(name);
            }
        }
    }

    private static String kebab(String camel) {
        StringBuilder out = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) out.append('-').append(Character.toLowerCase(c));
            else out.append(c);
        }
        return out.toString();
    }

    private static List<String> springBootMetadata() {
        List<String> names = new ArrayList<>();
        JsonMapper json = JsonMapper.builder().build();
        try {
            for (URL url : Collections.list(SpringProperties.class
                    .getClassLoader()
                    .getResources("META-INF/spring-configuration-metadata.json"))) {
                try (InputStream in = url.openStream()) {
                    JsonNode properties = json.readTree(in).path("properties");
                    for (JsonNode property : properties)
                        names.add(property.path("name").asString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (names.stream().noneMatch("spring.datasource.url"::equals)) {
            throw new IllegalStateException("Spring Boot's configuration metadata is not on the class path");
        }
        return names;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
